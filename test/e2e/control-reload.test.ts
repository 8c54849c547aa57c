import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, fx, tempDir, until, writeConfig } from './harness.js';
import { json, killLeftover, pids, startRun, stopRun, tasks, untilPods, verb } from './control-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

interface Knobs {
  workerVersion: string;
  scaler: number;
  sub: string;
  queue: { version: string; replicas: number };
  old: boolean;
  extra: boolean;
}

function config(dir: string, k: Knobs): string {
  const worker = (name: string, body: string): string => `[tasks.${name}]\ncommand = ["node", ${fx('slow-ack-worker.mjs')}]\n${body}\n`;
  const out = JSON.stringify(join(dir, 'queue.txt'));
  return [
    `[tasks.ticker]\ncommand = [${fx('ticker.sh')}]\n`,
    worker('worker', `replicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nenv = { VERSION = "${k.workerVersion}", DELAY_MS = "10" }`),
    worker('scaler', `replicas = ${k.scaler}`),
    worker('sub', `subscribe = ["${k.sub}"]\nenv = { DELAY_MS = "1" }`),
    worker('queue', `replicas = ${k.queue.replicas}\nsubscribe = ["q"]\nmode = "round_robin"\nenv = { VERSION = "${k.queue.version}", DELAY_MS = "1", OUT = ${out} }`),
    k.old ? `[tasks.old]\ncommand = [${fx('ticker.sh')}]\n` : '',
    k.extra ? `[tasks.extra]\ncommand = [${fx('ticker.sh')}]\n` : '',
  ].join('\n');
}

const initial: Knobs = { workerVersion: '1', scaler: 1, sub: 'a', queue: { version: '1', replicas: 0 }, old: true, extra: false };

describe('reload', () => {
  it('applies a diff: adds, removes, rolls a changed template, scales, updates subscriptions live, keeps the rest and the queue', async () => {
    const dir = tempDir();
    const file = writeConfig(config(dir, initial), dir);
    running = await startRun(file, 6);
    for (const m of ['m1', 'm2']) await verb(['publish', 'q', m, '-f', file]);
    expect((await tasks(file)).find((t) => t.name === 'queue')).toMatchObject({ queued: 2, current: 0 });
    const before = await pids(file);
    expect(Object.keys(before).sort()).toEqual(['old-0', 'scaler-0', 'sub-0', 'ticker-0', 'worker-0', 'worker-1']);

    writeFileSync(file, config(dir, { workerVersion: '2', scaler: 2, sub: 'b', queue: { version: '2', replicas: 1 }, old: false, extra: true }));
    const applied = await json<{ summary: Record<string, string[]> }>(['apply', '--wait'], file);
    expect(applied.summary).toEqual({ added: ['extra'], removed: ['old'], rolled: ['worker', 'queue'], scaled: ['scaler', 'queue'], updated: ['sub'], unchanged: ['ticker'] });

    const after = await untilPods(file, (p) => !p.some((x) => x.leaving) && p.filter((x) => x.status === 'running').length === 8, 'the reload settled').then(() => pids(file));
    expect(Object.keys(after).sort()).toEqual(['extra-0', 'queue-0', 'scaler-0', 'scaler-1', 'sub-0', 'ticker-0', 'worker-0', 'worker-2']);
    // Untouched, scaled-only and subscription-only tasks keep their processes.
    expect([after['ticker-0'], after['scaler-0'], after['sub-0']]).toEqual([before['ticker-0'], before['scaler-0'], before['sub-0']]);
    // The changed template replaced every worker, and the new ones run the new env.
    expect([after['worker-0'], after['worker-2']].filter((pid) => Object.values(before).includes(pid!))).toEqual([]);
    await running.waitFor(/^worker-[02] +\| ready worker-[02] pid=\d+ version=2$/, 2);
    // Messages queued before the reload reach the new queue pod.
    await until(() => lines(join(dir, 'queue.txt')).length === 2, 10_000, 'the queued messages are processed');
    expect(lines(join(dir, 'queue.txt'))).toEqual(['m1 queue-0', 'm2 queue-0']);
    // sub now receives "b" (and no longer "a") without a restart.
    await verb(['publish', 'a', 'not-for-sub', '-f', file]);
    await verb(['publish', 'b', 'for-sub', '-f', file]);
    await running.waitFor(/^sub-0 +\| got for-sub$/);
    expect(running.matching(/^sub-0 +\| got not-for-sub$/)).toEqual([]);
    const { events } = await json<{ events: Array<{ type: string; message: string }> }>(['events'], file);
    expect(events.find((e) => e.type === 'reloaded')?.message).toBe('config reloaded: added extra; removed old; rolled worker, queue; scaled scaler, queue; updated sub');
    expect(events.map((e) => e.type)).toContain('task-removed');
    await stopRun(running, file);
  });

  it('changes nothing for an invalid file and reports its problems with line numbers (exit 2)', async () => {
    const dir = tempDir();
    const file = writeConfig(config(dir, initial), dir);
    running = await startRun(file, 6);
    const before = await pids(file);
    writeFileSync(file, `${config(dir, { ...initial, workerVersion: '9' })}\n[tasks.broken]\ncommand = "true"\nreplica = 2\n`);
    const result = await verb(['apply', '-f', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/config not applied, nothing changed:\n.*tasks\.toml:\d+:\d+ tasks\.broken\.replica: unknown key, did you mean "replicas"\?/);
    const asJson = await verb(['apply', '-f', file, '-o', 'json']);
    expect(JSON.parse(asJson.stdout).error).toMatchObject({ code: 'CONFIG_INVALID', problems: [expect.objectContaining({ path: 'tasks.broken.replica', line: expect.any(Number) })] });
    await running.waitFor(/config reload failed|reload \(apply\) failed/);
    expect(await pids(file)).toEqual(before);

    // SIGHUP reloads too (it no longer stops the run).
    writeFileSync(file, config(dir, { ...initial, scaler: 2 }));
    running.signal('SIGHUP');
    await running.waitFor(/config reloaded: scaled scaler \(SIGHUP\)/);
    await untilPods(file, (p) => p.some((x) => x.name === 'scaler-1' && x.status === 'running'), 'scaler-1 runs');
    const now = await pids(file);
    expect(Object.entries(before).every(([name, pid]) => now[name] === pid)).toBe(true);
    await stopRun(running, file);
  });

  it('run --watch reloads when tasks.toml is saved by an atomic rename', async () => {
    const dir = tempDir();
    const file = writeConfig(config(dir, initial), dir);
    running = await startRun(file, 6, ['--watch']);
    await running.waitFor(/watching .*tasks\.toml.* for changes/);
    const before = await pids(file);
    const temp = join(dir, '.tasks.toml.swp');
    writeFileSync(temp, config(dir, { ...initial, extra: true }));
    renameSync(temp, file);
    await running.waitFor(/config reloaded: added extra \(tasks\.toml changed\)/);
    await untilPods(file, (p) => p.some((x) => x.name === 'extra-0' && x.status === 'running'), 'extra-0 runs');
    const now = await pids(file);
    expect(Object.entries(before).every(([name, pid]) => now[name] === pid)).toBe(true);
    expect(running.matching(/config reloaded/)).toHaveLength(1);
    await stopRun(running, file);
  });
});
