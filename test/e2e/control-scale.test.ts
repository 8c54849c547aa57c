import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, fx, tempDir, until, writeConfig } from './harness.js';
import { json, killLeftover, pids, startRun, stopRun, tasks, verb } from './control-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const done = (out: string): string[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean) : []);

function workerConfig(dir: string, replicas: number, extra = ''): { file: string; out: string } {
  const out = join(dir, 'done.txt');
  const file = writeConfig(
    `[tasks.worker]\ncommand = ["node", ${fx('slow-ack-worker.mjs')}]\nreplicas = ${replicas}\nsubscribe = ["jobs"]\nmode = "round_robin"\n` +
      `env = { DELAY_MS = "400", OUT = ${JSON.stringify(out)} }\n${extra}`,
    dir,
  );
  return { file, out };
}

describe('scale', () => {
  it('scales down busy pods without losing or repeating a message: they finish what they hold, then stop gracefully', async () => {
    const dir = tempDir();
    const { file, out } = workerConfig(dir, 3, `\n[tasks.producer]\ncommand = ["node", ${fx('publish-n.mjs')}]\nenv = { COUNT = "12" }\n`);
    running = await startRun(file, 4);
    // Every worker holds a message now.
    await running.waitFor(/worker-\d +\| got \d+/, 3);
    expect(new Set(running.matching(/worker-\d +\| got/).map((l) => l.slice(0, 8))).size).toBe(3);

    const scaled = await verb(['scale', 'worker=1', '--wait', '-f', file]);
    expect(scaled).toMatchObject({ code: 0, stdout: 'worker scaled from 3 to 1' });
    await until(() => done(out).length >= 12, 20_000, 'all 12 messages are processed');

    const lines = done(out);
    expect(lines.map((l) => Number(l.split(' ')[0])).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // The removed pods finished every message they started (nothing was handed back and redone).
    for (const pod of ['worker-1', 'worker-2']) {
      const got = running.matching(new RegExp(`^${pod} +\\| got `)).map((l) => l.split('got ')[1]);
      expect(got.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.endsWith(` ${pod}`)).map((l) => l.split(' ')[0])).toEqual(got);
      expect(running.matching(new RegExp(`${pod} stopped \\(killed by SIGTERM\\)`))).toHaveLength(1);
    }
    expect(Object.keys(await pids(file))).toEqual(['worker-0', 'producer-0']);
    expect((await tasks(file)).find((t) => t.name === 'worker')).toMatchObject({ desired: 1, current: 1, queued: 0, inFlight: 0, deadLettered: 0 });
    await stopRun(running, file);
  });

  it('scales to zero: messages wait in the queue and are delivered after scaling up', async () => {
    const dir = tempDir();
    const { file, out } = workerConfig(dir, 1);
    running = await startRun(file, 1);
    expect(await json<{ scaled: unknown[] }>(['scale', 'worker=0', '--wait'], file)).toEqual({ scaled: [{ task: 'worker', from: 1, to: 0 }] });
    expect(await pids(file)).toEqual({});
    for (const n of ['a', 'b', 'c']) expect((await verb(['publish', 'jobs', n, '-f', file])).code).toBe(0);
    const [worker] = await tasks(file);
    expect(worker).toMatchObject({ desired: 0, current: 0, queued: 3 });
    expect(worker!.oldestQueuedAt).toEqual(expect.any(Number));
    const table = await verb(['tasks', '-f', file]);
    expect(table.stdout).toMatch(/^worker\s+0\s+0\s+0\s+round_robin\s+3\s+0\s+\d+s\s+0\s+0\s+0$/m);

    await verb(['scale', 'worker=2', '-f', file]);
    await until(() => done(out).length >= 3, 15_000, 'the queued messages are processed');
    expect(done(out).map((l) => l.split(' ')[0]).sort()).toEqual(['a', 'b', 'c']);
    expect(Object.keys(await pids(file)).sort()).toEqual(['worker-0', 'worker-1']);
    await stopRun(running, file);
  });
});

describe('restart', () => {
  it('rolls one replica at a time: each replacement runs before the old pod is stopped', async () => {
    const dir = tempDir();
    const { file } = workerConfig(dir, 2);
    running = await startRun(file, 2);
    const before = await pids(file);
    expect(Object.keys(before)).toEqual(['worker-0', 'worker-1']);

    const restarted = await verb(['restart', 'worker', '-f', file]);
    expect(restarted).toMatchObject({ code: 0, stdout: 'worker: restarted (replaced worker-0, worker-1)' });
    const after = await pids(file);
    // Surge pods take the lowest free index: worker-2 replaces worker-0, then worker-0 replaces worker-1.
    expect(Object.keys(after).sort()).toEqual(['worker-0', 'worker-2']);
    expect(Object.values(after).filter((pid) => Object.values(before).includes(pid))).toEqual([]);

    const { events } = await json<{ events: Array<{ type: string; pod?: string; pid?: number }> }>(['events'], file);
    const order = events.filter((e) => (e.type === 'pod-started' && !Object.values(before).includes(e.pid!)) || e.type === 'pod-stopped').map((e) => `${e.type}:${e.pod}`);
    expect(order).toEqual(['pod-started:worker-2', 'pod-stopped:worker-0', 'pod-started:worker-0', 'pod-stopped:worker-1']);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['rollout-started', 'rollout-finished']));
    await stopRun(running, file);
  });
});
