import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

const at = (file: string): string => path.join(process.cwd(), file);

function load(lines: readonly string[]) {
  const text = lines.join('\n');
  const readFile = (file: string): string => {
    if (file === at('tasks.toml')) return text;
    throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  };
  return loadConfig('tasks.toml', { env: {}, readFile });
}

function problems(lines: readonly string[]): string[] {
  try {
    load(lines);
  } catch (error) {
    if (error instanceof ConfigError) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected the config to be invalid');
}

describe('jobs, dependencies, probes, watch: valid values', () => {
  test('defaults depend on the restart policy', () => {
    const config = load(['[tasks.svc]', 'command = "x"', '[tasks.job]', 'command = "x"', 'restart = "on-failure"', '[tasks.once]', 'command = "x"', 'restart = "never"']);
    expect(config.tasks.map((t) => t.maxRestarts)).toEqual([null, 6, 0]);
    expect(config.tasks[0]).toMatchObject({ successExitCodes: [0], dependsOn: {}, ready: { kind: 'started' }, alive: null, watch: [], watchIgnore: [], watchDebounceMs: 300, logBuffer: 1000 });
  });

  test('converts every key', () => {
    const config = load([
      '[tasks.db]',
      'command = "x"',
      'ready = { tcp = "127.0.0.1:5432", period = "250ms", timeout = "2s", failure_threshold = 5 }',
      'alive = { exec = "pg_isready -h \'local host\'" }',
      'max_restarts = 2',
      '[tasks.migrate]',
      'command = "x"',
      'restart = "on-failure"',
      'success_exit_codes = [0, 3, 3]',
      'depends_on = ["db"]',
      'ready = "signal"',
      '[tasks.web]',
      'command = "x"',
      'depends_on = { db = "ready", migrate = "completed" }',
      'ready = { log = "listening on \\\\d+" }',
      'alive = { http = "http://127.0.0.1:8080/health", period = "5s" }',
      'watch = ["src/**/*.py"]',
      'watch_ignore = ["**/*.tmp"]',
      'watch_debounce = "1s"',
      'log_buffer = 10',
      '[tasks.v6]',
      'command = "x"',
      'ready = { tcp = "[::1]:80" }',
      'alive = { exec = ["sh", "-c", "exit 0"] }',
    ]);
    const [db, migrate, web, v6] = config.tasks;
    expect(db).toMatchObject({
      maxRestarts: 2,
      ready: { kind: 'probe', probe: { action: { kind: 'tcp', host: '127.0.0.1', port: 5432 }, periodMs: 250, timeoutMs: 2000, failureThreshold: 5 } },
      alive: { action: { kind: 'exec', command: ['pg_isready', '-h', 'local host'] }, periodMs: 1000, timeoutMs: 1000, failureThreshold: 3 },
    });
    expect(migrate).toMatchObject({ maxRestarts: 6, successExitCodes: [0, 3], dependsOn: { db: 'started' }, ready: { kind: 'signal' } });
    expect(web).toMatchObject({
      dependsOn: { db: 'ready', migrate: 'completed' },
      alive: { action: { kind: 'http', url: 'http://127.0.0.1:8080/health' }, periodMs: 5000 },
      watch: ['src/**/*.py'],
      watchIgnore: ['**/*.tmp'],
      watchDebounceMs: 1000,
      logBuffer: 10,
    });
    const ready = web?.ready;
    expect(ready?.kind === 'log' && ready.pattern.test('listening on 8080')).toBe(true);
    expect(v6).toMatchObject({ ready: { kind: 'probe', probe: { action: { kind: 'tcp', host: '::1', port: 80 } } }, alive: { action: { command: ['sh', '-c', 'exit 0'] } } });
  });

  test('[defaults] can set them; max_restarts is allowed with restart = "always"', () => {
    const config = load(['[defaults]', 'depends_on = ["db"]', 'max_restarts = 3', '[tasks.db]', 'command = "x"', 'depends_on = []', '[tasks.web]', 'command = "x"']);
    expect(config.tasks.map((t) => [t.dependsOn, t.maxRestarts])).toEqual([
      [{}, 3],
      [{ db: 'started' }, 3],
    ]);
  });
});

describe('jobs, dependencies, probes, watch: problems', () => {
  test('exit codes, restarts, watch keys and the log buffer', () => {
    expect(
      problems([
        '[tasks.web]',
        'command = "x"',
        'success_exit_codes = [0, 256]',
        'max_restarts = -1',
        'log_buffer = 5',
        'watch = "src"',
        'watch_ignore = [""]',
        'watch_debounce = 300',
        '[tasks.job]',
        'command = "x"',
        'success_exit_codes = []',
        'restart = "never"',
        'max_restarts = 3',
      ]),
    ).toEqual([
      'tasks.toml:3:26 tasks.web.success_exit_codes[1]: expected an integer from 0 to 255, got 256 (number)',
      'tasks.toml:4:1 tasks.web.max_restarts: expected an integer >= 0, got -1 (number)',
      'tasks.toml:5:1 tasks.web.log_buffer: expected an integer from 10 to 1000000, got 5 (number)',
      'tasks.toml:6:1 tasks.web.watch: expected an array of glob patterns, got "src" (string)',
      'tasks.toml:7:17 tasks.web.watch_ignore[0]: expected a non-empty glob pattern, got "" (string)',
      'tasks.toml:8:1 tasks.web.watch_debounce: expected a duration such as "500ms", "10s" or "1m30s", got 300 (number): durations need a unit, e.g. "300ms" or "300s"',
      'tasks.toml:11:1 tasks.job.success_exit_codes: expected at least one exit code, got an empty array',
      'tasks.toml:13:1 tasks.job.max_restarts: has no effect with restart = "never" (a replica is never restarted)',
    ]);
  });

  test('depends_on shapes', () => {
    expect(
      problems(['[tasks.db]', 'command = "x"', '[tasks.a]', 'command = "x"', 'depends_on = "db"', '[tasks.b]', 'command = "x"', 'depends_on = ["db", 1]', '[tasks.c]', 'command = "x"', 'depends_on = { db = "redy" }']),
    ).toEqual([
      'tasks.toml:5:1 tasks.a.depends_on: expected an array of task names or a table such as { db = "ready" }, got "db" (string): write ["db"]',
      'tasks.toml:8:1 tasks.b.depends_on: expected an array of task names, got 1 (number) at index 1',
      'tasks.toml:11:16 tasks.c.depends_on.db: expected one of "started", "ready", "completed", got "redy" (string), did you mean "ready"?',
    ]);
  });

  test('unknown tasks, self-dependencies, cycles, duplicates and "completed" on a service', () => {
    expect(
      problems([
        '[tasks.a]',
        'command = "x"',
        'depends_on = ["b", "a", "dbb", "b"]',
        '[tasks.b]',
        'command = "x"',
        'depends_on = { c = "ready" }',
        '[tasks.c]',
        'command = "x"',
        'depends_on = ["a"]',
        '[tasks.db]',
        'command = "x"',
        '[tasks.d]',
        'command = "x"',
        'depends_on = { db = "completed", zz = "ready" }',
        '[tasks.e]',
        'command = "x"',
        'depends_on = ["f"]',
        '[tasks.f]',
        'command = "x"',
        'depends_on = ["e"]',
      ]),
    ).toEqual([
      'tasks.toml:3:15 tasks.a.depends_on[0]: dependency cycle: a -> b -> c -> a',
      'tasks.toml:3:20 tasks.a.depends_on[1]: task "a" cannot depend on itself',
      'tasks.toml:3:25 tasks.a.depends_on[2]: unknown task "dbb", did you mean "db"?',
      'tasks.toml:3:32 tasks.a.depends_on[3]: "b" is listed twice',
      'tasks.toml:14:16 tasks.d.depends_on.db: "completed" can never hold: task "db" has restart = "always", so its pods never complete',
      'tasks.toml:14:34 tasks.d.depends_on.zz: unknown task "zz" (tasks: a, b, c, db, d, e, f)',
      'tasks.toml:17:15 tasks.e.depends_on[0]: dependency cycle: e -> f -> e',
    ]);
  });

  test('a dependency on a task with problems of its own is not "unknown"', () => {
    expect(problems(['[tasks.db]', 'replicas = 1', '[tasks.web]', 'command = "x"', 'depends_on = ["db"]'])).toEqual(['tasks.toml:1:8 tasks.db: missing required key "command"']);
  });

  test('ready: words, tables, one action, regex, URL, host:port, timing', () => {
    expect(
      problems([
        '[tasks.a]',
        'command = "x"',
        'ready = "singal"',
        '[tasks.b]',
        'command = "x"',
        'ready = { log = "(" }',
        '[tasks.c]',
        'command = "x"',
        'ready = { http = "http://x/", tcp = "a:1" }',
        '[tasks.d]',
        'command = "x"',
        'ready = { log = "x", period = "1s" }',
        '[tasks.e]',
        'command = "x"',
        'ready = { periood = "1s", http = "ftp://x" }',
        '[tasks.f]',
        'command = "x"',
        'ready = {}',
        '[tasks.g]',
        'command = "x"',
        'ready = 1',
      ]),
    ).toEqual([
      'tasks.toml:3:1 tasks.a.ready: expected "started", "signal" or a table such as { http = "http://127.0.0.1:8080/health" }, got "singal" (string), did you mean "signal"?',
      'tasks.toml:6:11 tasks.b.ready.log: invalid regular expression "(": Unterminated group',
      'tasks.toml:9:31 tasks.c.ready.tcp: set only one of log, exec, http, tcp (already set: http)',
      'tasks.toml:12:22 tasks.d.ready.period: only applies to exec, http and tcp probes, not to log',
      'tasks.toml:15:11 tasks.e.ready.periood: unknown key, did you mean "period"?',
      'tasks.toml:15:27 tasks.e.ready.http: expected an http:// or https:// URL such as "http://127.0.0.1:8080/health", got "ftp://x" (string)',
      'tasks.toml:18:1 tasks.f.ready: expected one of log, exec, http, tcp, e.g. { http = "http://127.0.0.1:8080/health" }',
      'tasks.toml:21:1 tasks.g.ready: expected "started", "signal" or a table such as { http = "http://127.0.0.1:8080/health" }, got 1 (number)',
    ]);
  });

  test('alive: probe tables only, no log, bad commands and ranges', () => {
    expect(
      problems([
        '[tasks.a]',
        'command = "x"',
        'alive = { tcp = "localhost:99999", failure_threshold = 0 }',
        '[tasks.b]',
        'command = "x"',
        'alive = { exec = 5 }',
        '[tasks.c]',
        'command = "x"',
        'alive = { exec = "echo \'a", period = "0s" }',
        '[tasks.d]',
        'command = "x"',
        'alive = "started"',
        '[tasks.e]',
        'command = "x"',
        'alive = { http = "http://a", lgo = "x" }',
      ]),
    ).toEqual([
      'tasks.toml:3:11 tasks.a.alive.tcp: expected "host:port" with a port from 1 to 65535, such as "127.0.0.1:5432", got "localhost:99999" (string)',
      'tasks.toml:3:36 tasks.a.alive.failure_threshold: expected an integer >= 1, got 0 (number)',
      'tasks.toml:6:11 tasks.b.alive.exec: expected a command string or an array of strings, got 5 (number)',
      'tasks.toml:9:11 tasks.c.alive.exec: unterminated single quote in command "echo \'a"',
      'tasks.toml:9:29 tasks.c.alive.period: must be at least 1ms, got "0s"',
      'tasks.toml:12:1 tasks.d.alive: expected a probe table such as { http = "http://127.0.0.1:8080/health" }, got "started" (string)',
      'tasks.toml:15:30 tasks.e.alive.lgo: unknown key (valid keys: exec, http, tcp, period, timeout, failure_threshold)',
    ]);
  });
});
