import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, splitLine, tempDir, writeConfig } from './harness.js';

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
