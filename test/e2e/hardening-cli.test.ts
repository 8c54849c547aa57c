import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover, pids, startRun, stopRun, untilPods, verb } from './control-harness.js';
import { type CliRun, FIXTURES, fx, ROOT, runCli, splitLine, tempDir, writeConfig } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

describe('per-pod templates', () => {
  it('give each replica its own command arguments, env and cwd, and its probe the same values', async () => {
    const dir = tempDir();
    for (const r of ['r0', 'r1', 'r2']) mkdirSync(join(dir, r));
    const script = join(FIXTURES, 'print-pod-template.sh');
    const file = writeConfig(
      [
        '[tasks.web]',
        `command = "'${script}' pod=\${ORCHESTRATOR_POD} \${ORCHESTRATOR_POD_ID} '$\${ORCHESTRATOR_REPLICA}' \${ORCHESTRATOR_TASK}"`,
        'replicas = 3',
        'cwd = "r${ORCHESTRATOR_REPLICA}"',
        'env = { PORT = "90${ORCHESTRATOR_REPLICA}" }',
        'ready = { exec = ["test", "-e", "up-${ORCHESTRATOR_POD}"], period = "50ms" }',
      ].join('\n'),
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const lines = (await run.waitFor(/\| template /, 3)).map((l) => splitLine(l)!);
    await run.waitFor(/web-\d is ready$/, 3);
    const byPod = new Map(lines.map((l) => [l.name, l.text]));
    for (const index of [0, 1, 2]) {
      const text = byPod.get(`web-${index}`) ?? '';
      const id = / id=(\S+)$/.exec(text)?.[1] ?? '';
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(text).toBe(`template args=pod=web-${index} ${id} \${ORCHESTRATOR_REPLICA} web port=90${index} cwd=${join(dir, `r${index}`)} id=${id}`);
    }
    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
  });

  it('validate shows templates as written', async () => {
    const file = writeConfig('[tasks.web]\ncommand = "serve --port 80${ORCHESTRATOR_REPLICA}"\ncwd = "data/${ORCHESTRATOR_POD}"\n');
    const run = runCli(['validate', file]);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.lines).toEqual([`ok: ${file}`, 'web  1 replica  restart=always  no subscriptions  serve --port 80${ORCHESTRATOR_REPLICA}  (cwd=data/${ORCHESTRATOR_POD})']);
  });

  it('a per-pod variable in another key is a config error with its line', async () => {
    const file = writeConfig('[tasks.web]\ncommand = "serve"\nsubscribe = ["jobs.${ORCHESTRATOR_REPLICA}"]\n');
    const run = runCli(['validate', file]);
    expect(await run.exit()).toEqual({ code: 2, signal: null });
    expect(run.stderrLines).toEqual([
      `${file}:3:14 tasks.web.subscribe[0]: \${ORCHESTRATOR_REPLICA} differs per pod, so it can only be used in command, cwd, env, and the exec, http and tcp of ready and alive (write $\${ORCHESTRATOR_REPLICA} for the literal text)`,
    ]);
  });
});

describe('CLI verbs', () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const usage = 'Run "orchestrator --help" for usage.';

  it('-V, --version and -v print the version from package.json', async () => {
    for (const flag of ['-V', '--version', '-v']) expect(await verb([flag])).toEqual({ code: 0, stdout: version, stderr: '' });
  });

  it('an unknown verb suggests the closest one, exit 2', async () => {
    expect(await verb(['lgos'])).toEqual({ code: 2, stdout: '', stderr: `orchestrator: unknown command "lgos", did you mean "logs"?\n${usage}` });
    expect(await verb(['nope'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `orchestrator: unknown command "nope"; commands: run, validate, schema, ps, tasks, scale, restart, apply, publish, request, latest, topics, dead, subscribe, logs, events, stop, kill, ui, wait\n${usage}`,
    });
  });

  it('help VERB prints that verb\'s help, exit 0; an unknown one is a usage error', async () => {
    const own = await verb(['logs', '--help']);
    expect(own.stdout).toMatch(/^Usage: orchestrator logs /);
    expect(await verb(['help', 'logs'])).toEqual({ code: 0, stdout: own.stdout, stderr: '' });
    expect(await verb(['help', 'lgos'])).toEqual({ code: 2, stdout: '', stderr: `orchestrator: unknown command "lgos", did you mean "logs"?\n${usage}` });
    expect(await verb(['help', 'logs', 'ps'])).toEqual({ code: 2, stdout: '', stderr: `orchestrator: help: expected one command, got "logs ps"\n${usage}` });
    expect((await verb(['help'])).stdout).toMatch(/^orchestrator: keep replicas/);
  });

  it('verbs without arguments reject stray ones instead of ignoring them', async () => {
    expect(await verb(['apply', 'other.toml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `orchestrator: apply: unexpected argument "other.toml": apply reloads the file the instance runs; choose the instance with -f tasks.toml\n${usage}`,
    });
    expect(await verb(['stop', 'now'])).toEqual({ code: 2, stdout: '', stderr: `orchestrator: Unexpected argument 'now'. This command does not take positional arguments\n${usage}` });
  });

  it('restart --no-wait returns once the roll has started; the pod is still replaced', async () => {
    const file = writeConfig(`[tasks.w]\ncommand = [${fx('ticker.sh')}]\n`);
    running = await startRun(file, 1);
    const before = await pids(file);
    expect(await verb(['restart', 'w', '--no-wait', '-f', file])).toEqual({ code: 0, stdout: 'w: rolling restart started', stderr: '' });
    await untilPods(file, (pods) => pods.length === 1 && pods[0]!.status === 'running' && pods[0]!.pid !== before['w-0'], 'w-0 was replaced');
    await stopRun(running, file);
  });
});
