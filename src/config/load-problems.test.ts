import { describe, expect, test } from 'vitest';
import { ConfigError } from './index.js';
import { load } from './load-from-memory.case.js';

/** The formatted report of a config that must fail. */
function problems(text: string, files?: Record<string, string>, env?: Record<string, string>): string[] {
  try {
    load(text, files, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected the config to be invalid');
}

describe('loadConfig: problems', () => {
  test('unknown keys at every level, with suggestions', () => {
    const text = ['taks = 1', '[defaults]', 'restrat = "never"', '[tasks.worker]', 'command = "w"', 'replica = 2', 'backoff = { base = "1s", maximum = "9s" }', 'colour = "red"', 'flavour = "mint"'].join('\n');
    expect(problems(text)).toEqual([
      'tasks.toml:1:1 taks: unknown key, did you mean "tasks"?',
      'tasks.toml:3:1 defaults.restrat: unknown key, did you mean "restart"?',
      'tasks.toml:6:1 tasks.worker.replica: unknown key, did you mean "replicas"?',
      'tasks.toml:7:26 tasks.worker.backoff.maximum: unknown key (valid keys: base, max, reset_after)',
      'tasks.toml:8:1 tasks.worker.colour: unknown key, did you mean "colors"?',
      'tasks.toml:9:1 tasks.worker.flavour: unknown key',
    ]);
  });

  test('wrong types and out-of-range values say what was expected and what was found', () => {
    const text = [
      '[tasks.web]',
      'command = ["node", 1]',
      'replicas = "two"',
      'concurrency = 0',
      'shell = "yes"',
      'restart = "alway"',
      'env = { PORT = [1] }',
      'subscribe = "jobs"',
      'max_queue = 1.5',
    ].join('\n');
    expect(problems(text)).toEqual([
      'tasks.toml:2:1 tasks.web.command: expected an array of strings, got 1 (number) at index 1',
      'tasks.toml:3:1 tasks.web.replicas: expected an integer >= 0, got "two" (string)',
      'tasks.toml:4:1 tasks.web.concurrency: expected an integer >= 1, got 0 (number)',
      'tasks.toml:5:1 tasks.web.shell: expected true or false, got "yes" (string)',
      'tasks.toml:6:1 tasks.web.restart: expected one of "always", "on-failure", "never", got "alway" (string), did you mean "always"?',
      'tasks.toml:7:9 tasks.web.env.PORT: expected a string (numbers and booleans are converted), got an array',
      'tasks.toml:8:1 tasks.web.subscribe: expected an array of topic patterns, got "jobs" (string)',
      'tasks.toml:9:1 tasks.web.max_queue: expected an integer >= 1, got 1.5 (number)',
    ]);
  });

  test('durations, signals, sizes and patterns', () => {
    const text = [
      '[tasks.web]',
      'command = "x"',
      'grace_period = 500',
      'ack_timeout = "10 sec"',
      'stop_signal = "TERM"',
      'max_message_size = "1 potato"',
      'subscribe = ["ok.>", "a..b", ">.x"]',
      'backoff = { base = "10s", max = "1s" }',
    ].join('\n');
    expect(problems(text)).toEqual([
      'tasks.toml:3:1 tasks.web.grace_period: expected a duration such as "500ms", "10s" or "1m30s", got 500 (number): durations need a unit, e.g. "500ms" or "500s"',
      'tasks.toml:4:1 tasks.web.ack_timeout: expected a duration such as "500ms", "10s" or "1m30s", got "10 sec" (string)',
      'tasks.toml:5:1 tasks.web.stop_signal: expected a signal name such as "SIGTERM", got "TERM" (string), did you mean "SIGTERM"?',
      'tasks.toml:6:1 tasks.web.max_message_size: expected a size such as "512KiB", "1MiB", "64KB" or an integer number of bytes >= 1, got "1 potato" (string)',
      'tasks.toml:7:22 tasks.web.subscribe[1]: invalid pattern "a..b": empty token (leading, trailing or double ".")',
      'tasks.toml:7:30 tasks.web.subscribe[2]: invalid pattern ">.x": ">" is only allowed as the last token',
      'tasks.toml:8:27 tasks.web.backoff.max: must be >= base (10s), got "1s"',
    ]);
  });

  test('task names, missing command, shell with an array, bad command strings', () => {
    const text = [
      '[tasks."web.api"]',
      'command = "x"',
      '[tasks.nocmd]',
      'replicas = 1',
      '[tasks.sh]',
      'shell = true',
      'command = ["a", "b"]',
      '[tasks.quote]',
      'command = "echo \'oops"',
      '[tasks.-bad]',
      'command = "x"',
    ].join('\n');
    expect(problems(text)).toEqual([
      'tasks.toml:1:8 tasks."web.api": invalid task name: use letters, digits, "_" and "-", starting with a letter or digit (no dots: names prefix topics such as "<task>.stdout")',
      'tasks.toml:3:8 tasks.nocmd: missing required key "command"',
      'tasks.toml:7:1 tasks.sh.command: expected a command string when shell = true, got an array (write the command line as one string)',
      'tasks.toml:9:1 tasks.quote.command: unterminated single quote in command "echo \'oops"',
      'tasks.toml:10:8 tasks.-bad: invalid task name: use letters, digits, "_" and "-", starting with a letter or digit (no dots: names prefix topics such as "<task>.stdout")',
    ]);
  });

  test('an empty command array', () => {
    expect(problems('[tasks.web]\ncommand = []\n')).toEqual(['tasks.toml:2:1 tasks.web.command: expected a command string or a non-empty array of strings, got an empty array']);
  });

  test('no tasks at all', () => {
    expect(problems('[defaults]\nreplicas = 2\n')).toEqual(['tasks.toml tasks: no tasks defined: add a [tasks.NAME] table']);
    expect(problems('[tasks]\n')).toEqual(['tasks.toml:1:2 tasks: no tasks defined: add a [tasks.NAME] table']);
  });

  test('unset variables are reported at their key path, once', () => {
    const text = ['[tasks.web]', 'command = "node ${ENTRY}"', 'env = { KEY = "${API_KEY}" }', 'grace_period = "${GRACE}"'].join('\n');
    expect(problems(text)).toEqual([
      'tasks.toml:2:1 tasks.web.command: environment variable ENTRY is not set (write ${ENTRY:-default} to give a default)',
      'tasks.toml:3:9 tasks.web.env.KEY: environment variable API_KEY is not set (write ${API_KEY:-default} to give a default)',
      'tasks.toml:4:1 tasks.web.grace_period: environment variable GRACE is not set (write ${GRACE:-default} to give a default)',
    ]);
  });

  test('env files: missing, and bad lines with their own line numbers', () => {
    const text = ['[defaults]', 'env_file = "missing.env"', '[tasks.a]', 'command = "x"', '[tasks.b]', 'command = "x"', '[tasks.c]', 'command = "x"', 'env_file = "bad.env"'].join('\n');
    expect(problems(text, { 'bad.env': 'OK=1\nnot valid\n' })).toEqual([
      'tasks.toml:2:1 defaults.env_file: env file not found: missing.env',
      'tasks.toml:9:1 tasks.c.env_file: bad.env:2: expected KEY=VALUE, got "not valid"',
    ]);
  });

  test('reports problems from several tasks and levels together, in file order', () => {
    const text = [
      '# services',
      '[defaults]',
      'grace_period = 10',
      '',
      '[tasks.web]',
      'command = ["node", "server.mjs"]',
      'replicas = -1',
      '',
      '[tasks.worker]',
      'command = "python3 worker.py"',
      'subscribe = ["jobs", "bad pattern"]',
      'replica = 3',
    ].join('\n');
    const error = (() => {
      try {
        load(text);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('CONFIG_INVALID');
    expect(configError.problems).toEqual([
      { path: 'defaults.grace_period', line: 3, column: 1, message: 'expected a duration such as "500ms", "10s" or "1m30s", got 10 (number): durations need a unit, e.g. "10ms" or "10s"' },
      { path: 'tasks.web.replicas', line: 7, column: 1, message: 'expected an integer >= 0, got -1 (number)' },
      { path: 'tasks.worker.subscribe[1]', line: 11, column: 22, message: 'invalid pattern "bad pattern": whitespace is not allowed' },
      { path: 'tasks.worker.replica', line: 12, column: 1, message: 'unknown key, did you mean "replicas"?' },
    ]);
    expect(configError.message).toBe(configError.format());
  });

  test('a TOML syntax error is one problem with the parser\'s line and column', () => {
    let caught: unknown;
    try {
      load('[tasks.web]\ncommand = "x"\nreplicas = = 2\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('CONFIG_TOML_SYNTAX');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ path: '', line: 3, column: 12 });
    expect(error.format()).toBe(`tasks.toml:3:12 ${error.problems[0]?.message ?? ''}`);
  });

  test('per-pod variables outside command, cwd, env and probes name the key and line', () => {
    const text = [
      '[tasks.web]',
      'command = "serve ${ORCHESTRATOR_POD}"',
      'subscribe = ["jobs.${ORCHESTRATOR_REPLICA}"]',
      'ready = { log = "up ${ORCHESTRATOR_POD}" }',
      'alive = { tcp = "127.0.0.1:${ORCHESTRATOR_POD}" }',
      'cwd = "data/${ORCHESTRATOR_REPLICA}"',
      'watch = ["src/**"]',
    ].join('\n');
    const where = 'command, cwd, env, and the exec, http and tcp of ready and alive';
    expect(problems(text)).toEqual([
      `tasks.toml:3:14 tasks.web.subscribe[0]: \${ORCHESTRATOR_REPLICA} differs per pod, so it can only be used in ${where} (write $\${ORCHESTRATOR_REPLICA} for the literal text)`,
      `tasks.toml:4:11 tasks.web.ready.log: \${ORCHESTRATOR_POD} differs per pod, so it can only be used in ${where} (write $\${ORCHESTRATOR_POD} for the literal text)`,
      'tasks.toml:5:11 tasks.web.alive.tcp: expected "host:port" with a port from 1 to 65535, such as "127.0.0.1:5432", got "127.0.0.1:${ORCHESTRATOR_POD}" (string)',
      'tasks.toml:7:1 tasks.web.watch: watch globs are relative to cwd, which differs per pod here: give the task a cwd without per-pod variables and pass the per-pod directory in env or command',
    ]);
  });
});

