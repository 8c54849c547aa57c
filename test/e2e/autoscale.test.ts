import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/control/api-types.js';
import { killLeftover, pids, startRun, stopRun, tasks, verb } from './control-harness.js';
import { type CliRun, fx, runCli, tempDir, until, writeConfig } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

async function steps(file: string): Promise<string[]> {
  const result = await verb(['events', '--file', file, '-o', 'json']);
  const { events } = JSON.parse(result.stdout) as { events: RecordedEvent[] };
  return events.filter((e) => e.type === 'autoscaled').map((e) => e.message);
}

function pool(dir: string, autoscale: string, worker: string, env: string, extra = ''): string {
  return writeConfig(
    `[tasks.worker]\ncommand = ["node", ${fx(worker)}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nautoscale = ${autoscale}\nenv = ${env}\n${extra}`,
    dir,
  );
}

describe('autoscaled pool', () => {
  it('at zero it receives 500 jobs, grows to max, finishes each exactly once, and shrinks back to zero after idle', async () => {
    const dir = tempDir();
    const out = join(dir, 'done.txt');
    const file = pool(dir, '{ min = 0, max = 4, idle = "1s" }', 'slow-ack-worker.mjs', `{ DELAY_MS = "5", OUT = ${JSON.stringify(out)} }`, `[tasks.producer]\ncommand = ["node", ${fx('publish-n.mjs')}]\nenv = { COUNT = "500" }\n`);
    running = await startRun(file, 1);
    await until(() => lines(out).length >= 500, 60_000, 'all 500 jobs are done');
    await running.waitFor(/worker scaled \d+ → 0: idle for 1s/, 1, 60_000);

    const done = lines(out);
    expect(done).toHaveLength(500);
    expect(new Set(done.map((l) => l.split(' ')[0])).size).toBe(500);
    // It grew to max and no further: exactly four pods ever started, worker-0..3.
    const started = running.matching(/worker-\d+ started \(pid \d+\)$/).map((l) => /(worker-\d+) started/.exec(l)?.[1]);
    expect([...new Set(started)].sort()).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3']);
    expect(started).toHaveLength(4);
    const taken = await steps(file);
    expect(taken[0]).toMatch(/^worker scaled 0 → \d: \d+ queued$/);
    expect(taken.some((s) => / → 4: \d+ queued$/.test(s))).toBe(true);
    expect(taken[taken.length - 1]).toMatch(/^worker scaled \d → 0: idle for 1s$/);
    const [worker] = (await tasks(file)).filter((t) => t.name === 'worker');
    expect(worker).toMatchObject({ desired: 0, current: 0, queued: 0, inFlight: 0, delivered: 500, redelivered: 0, deadLettered: 0 });
    expect(worker?.autoscale).toMatchObject({ min: 0, max: 4, idleMs: 1000, lastChange: { to: 0, reason: 'idle for 1s' } });
    const table = await verb(['tasks', '--file', file]);
    expect(table.stdout).toMatch(/^worker\s+0 \(0-4\)\s+0\s+0\s+round_robin\s+0\s+0\s+-/m);
    expect(table.stdout).toMatch(/^worker: scaled \d → 0: idle for 1s \(\d+s ago\)$/m);
    const scale = await verb(['scale', 'worker=2', '--file', file]);
    expect(scale.code).not.toBe(0);
    expect(scale.stderr).toMatch(/worker is autoscaled \(min 0, max 4\)/);
    await stopRun(running, file);
  }, 120_000);

  it('a pod that crashes while scaled up loses nothing: its job is delivered again and every job is answered once', async () => {
    const dir = tempDir();
    const record = join(dir, 'results');
    const file = pool(
      dir,
      '{ max = 3, idle = "30s" }',
      'echo-worker.mjs',
      '{ KILL_ON = "50", WORK_MS = "5" }',
      `stdin = "json"\n\n[tasks.results]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs.result"]\nenv = { RECORD_DIR = ${JSON.stringify(record)}, EXPECT = "100" }\n\n` +
        `[tasks.producer]\ncommand = ["node", ${fx('publish-n.mjs')}]\nenv = { COUNT = "100" }\n`,
    );
    mkdirSync(record);
    running = await startRun(file, 2);
    await running.waitFor(/results-0 +\| recorded 100/, 1, 60_000);
    const results = readdirSync(record).flatMap((f) => lines(join(record, f)));
    expect(results).toHaveLength(100);
    const jobs = results.map((r) => Number(r.split(' ')[0])).sort((a, b) => a - b);
    expect(jobs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(results.filter((r) => r.startsWith('50 ')).map((r) => / attempt=(\d)/.exec(r)?.[1])).toEqual(['2']);
    // Replaced at once: there was work (the pool never replaces a crashed pod when there is none).
    expect(running.matching(/worker-\d+: killed by SIGKILL; restarting now$/)).toHaveLength(1);
    const [worker] = (await tasks(file)).filter((t) => t.name === 'worker');
    expect(worker).toMatchObject({ queued: 0, inFlight: 0, delivered: 101, redelivered: 1, deadLettered: 0 });
    await stopRun(running, file);
  }, 120_000);

  it('scale-down while a slow job runs waits for it: the idle pod stops, the busy one finishes first', async () => {
    const dir = tempDir();
    const out = join(dir, 'done.txt');
    const file = pool(dir, '{ max = 2, idle = "300ms" }', 'work-for-data-ms.mjs', `{ OUT = ${JSON.stringify(out)} }`);
    running = runCli(['run', file, '--no-timestamps']);
    await until(() => existsSync(join(dir, '.orchestrator', 'control.sock')), 60_000, 'the control socket exists');
    expect((await verb(['publish', 'jobs', '5000', '--file', file])).code).toBe(0);
    await running.waitFor(/worker-0 started/, 1, 60_000);
    expect((await verb(['publish', 'jobs', '10', '--file', file])).code).toBe(0);
    await running.waitFor(/worker scaled 2 → 1: idle for 300ms/, 1, 60_000);
    await running.waitFor(/worker scaled 1 → 0: idle for 300ms/, 1, 60_000);
    await running.waitFor(/worker-\d stopped \(killed by SIGTERM\)$/, 2, 60_000);
    const at = (pattern: RegExp): number => running!.lines.findIndex((l) => pattern.test(l));
    const slowPod = /^(worker-\d)/.exec(running.lines[at(/\| done 5000$/)] ?? '')?.[1];
    expect(slowPod).toMatch(/^worker-\d$/);
    const fastPod = slowPod === 'worker-0' ? 'worker-1' : 'worker-0';
    // The fast pod left while the slow job ran; the slow pod stopped only after finishing it.
    expect(at(new RegExp(`${fastPod} stopped`))).toBeLessThan(at(/\| done 5000$/));
    expect(at(/worker scaled 2 → 1/)).toBeLessThan(at(/\| done 5000$/));
    expect(at(/\| done 5000$/)).toBeLessThan(at(new RegExp(`${slowPod} stopped`)));
    expect(lines(out).sort()).toEqual([`10 ${fastPod}`, `5000 ${slowPod}`].sort());
    const [worker] = await tasks(file);
    expect(worker).toMatchObject({ current: 0, delivered: 2, redelivered: 0 });
    await stopRun(running, file);
  }, 120_000);

  it('--exit-on-complete treats the pool as a service and ends once the queue is drained', async () => {
    const dir = tempDir();
    const out = join(dir, 'done.txt');
    const file = pool(dir, '{ max = 2, idle = "1m" }', 'slow-ack-worker.mjs', `{ DELAY_MS = "5", OUT = ${JSON.stringify(out)} }`, `[tasks.producer]\ncommand = ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo \\"\\\\\\"jobs\\\\\\": $i\\"; done"]\nrestart = "never"\n`);
    running = runCli(['run', file, '--no-timestamps', '--exit-on-complete']);
    const exit = await running.exit(30_000);
    expect(exit.code).toBe(0);
    expect(lines(out)).toHaveLength(10);
  }, 60_000);

  it('reload: new bounds apply live, a template change rolls only the pods that run', async () => {
    const dir = tempDir();
    const config = (min: number, version: string): string =>
      `[tasks.worker]\ncommand = ["node", ${fx('slow-ack-worker.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nautoscale = { min = ${min}, max = 3, idle = "1m" }\nenv = { VERSION = "${version}" }\n\n` +
      `[tasks.other]\ncommand = [${fx('ticker.sh')}]\n`;
    const file = writeConfig(config(0, '1'), dir);
    running = await startRun(file, 1);
    // At zero a template change has nothing to roll.
    writeFileSync(file, config(0, '2'));
    expect((await verb(['apply', '--wait', '--file', file])).stdout).toBe('applied: rolled: worker');
    expect(Object.keys(await pids(file))).toEqual(['other-0']);
    // Raising min applies at once; the new pods run the new template.
    writeFileSync(file, config(2, '2'));
    expect((await verb(['apply', '--wait', '--file', file])).stdout).toBe('applied: updated: worker');
    await running.waitFor(/worker scaled 0 → 2: min is 2/, 1, 60_000);
    await running.waitFor(/^worker-[01] +\| ready worker-[01] pid=\d+ version=2$/, 2, 60_000);
    // Now a template change replaces both running pods, one at a time.
    writeFileSync(file, config(2, '3'));
    expect((await verb(['apply', '--wait', '--file', file])).stdout).toBe('applied: rolled: worker');
    await running.waitFor(/^worker-\d +\| ready worker-\d pid=\d+ version=3$/, 2, 60_000);
    const { events } = JSON.parse((await verb(['events', '--file', file, '-o', 'json'])).stdout) as { events: RecordedEvent[] };
    expect(events.filter((e) => e.type === 'rollout-finished').map((e) => e.message)).toEqual(['worker rolling restart finished', 'worker rolling restart finished: replaced worker-0, worker-1']);
    expect(running.matching(/ready worker-\d pid=\d+ version=1$/)).toEqual([]);
    const [worker] = (await tasks(file)).filter((t) => t.name === 'worker');
    expect(worker).toMatchObject({ desired: 2, current: 2, autoscale: { min: 2, max: 3 } });
    await stopRun(running, file);
  }, 120_000);
});
