import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from './index.js';
import { at, dir, load } from './load-from-memory.case.js';

describe('loadConfig: valid files', () => {
  test('applies every default in a minimal task', () => {
    const config = load('[tasks.web]\ncommand = ["node", "server.mjs"]\n');
    expect(config).toEqual({
      file: at('tasks.toml'),
      dir,
      bus: null,
      tasks: [
        {
          name: 'web',
          command: ['node', 'server.mjs'],
          shell: false,
          cwd: dir,
          env: {},
          envFile: null,
          replicas: 1,
          autoscale: null,
          restart: 'always',
          gracePeriodMs: 10_000,
          stopSignal: 'SIGTERM',
          backoff: { baseMs: 500, maxMs: 30_000, resetAfterMs: 60_000 },
          showStdout: true,
          showStderr: true,
          colors: false,
          subscribe: [],
          mode: 'broadcast',
          stdin: 'framed',
          concurrency: 1,
          ackTimeoutMs: null,
          stallTimeoutMs: null,
          maxDeliveries: 5,
          maxQueue: 10_000,
          maxQueueBytes: 2 * 1024 * 1024,
          overflow: 'block',
          replayLatest: false,
          receiveReplies: false,
          stdoutTopic: 'web.stdout',
          stderrTopic: 'web.stderr',
          maxMessageSize: 1024 * 1024,
          successExitCodes: [0],
          maxRestarts: null,
          dependsOn: {},
          ready: { kind: 'started' },
          alive: null,
          watch: [],
          watchIgnore: [],
          watchDebounceMs: 300,
          logBuffer: 1000,
        },
      ],
      files: [at('tasks.toml')],
      taskFiles: { web: at('tasks.toml') },
      warnings: [],
    });
  });

  test('converts every key and keeps tasks in file order', () => {
    const config = load(
      [
        '[tasks.zeta]',
        'command = "python3 \'my worker.py\' --fast"',
        'cwd = "services/zeta"',
        'env = { PORT = 8080, DEBUG = true, NAME = "z" }',
        'env_file = ".env"',
        'replicas = 0',
        'restart = "on-failure"',
        'grace_period = "1m30s"',
        'stop_signal = "SIGINT"',
        'backoff = { max = "1m" }',
        'show_stdout = false',
        'colors = true',
        'subscribe = ["jobs", "images.>"]',
        'mode = "round_robin"',
        'stdin = "json"',
        'concurrency = 4',
        'ack_timeout = "250ms"',
        'max_deliveries = 2',
        'max_queue = 10',
        'max_queue_bytes = "64KiB"',
        'overflow = "drop_oldest"',
        'replay_latest = true',
        'max_message_size = "64KB"',
        '[tasks.alpha]',
        'command = "echo $$HOME | wc -l"',
        'shell = true',
      ].join('\n'),
      { '.env': 'NAME=from-file\nTOKEN="a b"\n' },
    );
    expect(config.tasks.map((t) => t.name)).toEqual(['zeta', 'alpha']);
    expect(config.tasks[0]).toMatchObject({
      command: ['python3', 'my worker.py', '--fast'],
      cwd: at('services/zeta'),
      env: { NAME: 'z', TOKEN: 'a b', PORT: '8080', DEBUG: 'true' },
      envFile: at('.env'),
      replicas: 0,
      restart: 'on-failure',
      gracePeriodMs: 90_000,
      stopSignal: 'SIGINT',
      backoff: { baseMs: 500, maxMs: 60_000, resetAfterMs: 60_000 },
      showStdout: false,
      showStderr: true,
      colors: true,
      subscribe: ['jobs', 'images.>'],
      mode: 'round_robin',
      stdin: 'json',
      concurrency: 4,
      ackTimeoutMs: 250,
      maxDeliveries: 2,
      maxQueue: 10,
      maxQueueBytes: 64 * 1024,
      overflow: 'drop_oldest',
      replayLatest: true,
      maxMessageSize: 64_000,
    });
    expect(config.tasks[1]).toMatchObject({ command: ['/bin/sh', '-c', 'echo $HOME | wc -l'], shell: true });
  });

  test('[defaults] supplies whole keys to tasks that do not set them', () => {
    const config = load(
      [
        '[defaults]',
        'restart = "never"',
        'env = { A = "1", B = "2" }',
        'backoff = { base = "1s" }',
        'command = "sleep 1"',
        '[tasks.a]',
        'env = { C = "3" }',
        '[tasks.b]',
        'restart = "always"',
        'backoff = { max = "5s" }',
      ].join('\n'),
    );
    const [a, b] = config.tasks;
    expect(a).toMatchObject({ restart: 'never', env: { C: '3' }, command: ['sleep', '1'], backoff: { baseMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 } });
    expect(b).toMatchObject({ restart: 'always', env: { A: '1', B: '2' }, backoff: { baseMs: 500, maxMs: 5000, resetAfterMs: 60_000 } });
  });

  test('expands variables everywhere before splitting the command', () => {
    const config = load(
      [
        '[tasks.web]',
        'command = "${RUNTIME} ${CONFIG_DIR}/server.mjs --port ${PORT:-3000}"',
        'cwd = "${CONFIG_DIR}/web"',
        'env = { TOKEN = "${TOKEN}", PRICE = "$$5" }',
        'subscribe = ["${TOPIC}.>"]',
      ].join('\n'),
      {},
      { RUNTIME: 'node', TOKEN: 'secret', TOPIC: 'jobs', CONFIG_DIR: '/ignored' },
    );
    expect(config.tasks[0]).toMatchObject({
      command: ['node', `${dir}/server.mjs`, '--port', '3000'],
      cwd: at('web'),
      env: { TOKEN: 'secret', PRICE: '$5' },
      subscribe: ['jobs.>'],
    });
  });
});

describe('loadConfig: the real file system', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('reads tasks.toml and env files from disk', () => {
    writeFileSync(path.join(tmp, 'tasks.toml'), '[tasks.web]\ncommand = "node s.mjs"\nenv_file = ".env"\n');
    writeFileSync(path.join(tmp, '.env'), 'export PORT=8080\n');
    const config = loadConfig(path.join(tmp, 'tasks.toml'), { env: {} });
    expect(config.dir).toBe(tmp);
    expect(config.tasks[0]?.env).toEqual({ PORT: '8080' });
    expect(config.tasks[0]?.envFile).toBe(path.join(tmp, '.env'));
  });

  test('a missing tasks.toml is CONFIG_NOT_FOUND', () => {
    const file = path.join(tmp, 'nope.toml');
    expect(() => loadConfig(file)).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND', problems: [{ path: '', line: null, column: null, message: 'file not found' }] }));
  });
});
