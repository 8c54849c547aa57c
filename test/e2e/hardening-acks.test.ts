import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover, startRun, stopRun, tasks } from './control-harness.js';
import { fx, tempDir, writeConfig, type CliRun } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const toml = (s: string): string => JSON.stringify(s);

describe('acknowledgements never drift', () => {
  it('dead-letters multi-line data for a payload round_robin task, and every other message is acked by its own reply', async () => {
    const lines = ['"jobs": 1', '"jobs"::', '2a', '2b', '::"jobs"', '"jobs": 3', '"jobs"::', '4a', '4b', '::"jobs"', '"jobs": 5', '"jobs": 6', '"jobs": 7', '"jobs": 8'];
    const file = writeConfig(
      `[tasks.worker]\ncommand = [${fx('reply-per-line.sh')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "payload"\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('print-messages.mjs')}]\nsubscribe = ["jobs.result", "jobs.dead"]\n\n` +
        `[tasks.producer]\ncommand = [${fx('print-lines.sh')}, ${lines.map(toml).join(', ')}]\nrestart = "never"\ndepends_on = ["worker", "collector"]\n`,
    );
    running = await startRun(file, 2);
    const delivered = await running.waitFor(/collector-0 +\| jobs\.(result|dead) /, 8);
    const results = delivered.filter((l) => l.includes('jobs.result')).map((l) => l.replace(/^.*jobs\.result /, ''));
    const dead = delivered.filter((l) => l.includes('jobs.dead')).map((l) => l.replace(/^.*jobs\.dead /, ''));
    expect(results).toEqual(['"1 done"', '"3 done"', '"5 done"', '"6 done"', '"7 done"', '"8 done"']);
    expect(dead).toEqual([JSON.stringify('2a\n2b'), JSON.stringify('4a\n4b')]);
    const worker = (await tasks(file)).find((t) => t.name === 'worker')!;
    expect(worker).toMatchObject({ queued: 0, inFlight: 0, deadLettered: 2 });
    const warnings = [...running.lines, ...running.stderrLines].filter((l) => l.includes('carries one line per message'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"jobs.dead": data has 2 lines; stdin = "payload" carries one line per message: use stdin = "json" or "framed"');
    await stopRun(running, file);
  });

  it('lets a json pod acknowledge out of order by id; a kill redelivers only the unacknowledged message', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.worker]\ncommand = ["node", ${fx('json-ack-by-id.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nconcurrency = 2\nstdin = "json"\n` +
        `env = { MARKER = ${toml(join(dir, 'marker'))} }\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('print-messages.mjs')}]\nsubscribe = ["jobs.result"]\n\n` +
        `[tasks.producer]\ncommand = [${fx('print-lines.sh')}, '"jobs": 1', '"jobs": 2']\nrestart = "never"\ndepends_on = ["worker", "collector"]\n`,
      dir,
    );
    running = await startRun(file, 2);
    await running.waitFor(/worker-0 +\| answered 2$/);
    await running.waitFor(/collector-0 +\| jobs\.result "2 done"$/);
    const pid = Number(/pid=(\d+)/.exec(running.matching(/worker-0 +\| ready pid=/)[0]!)![1]);
    process.kill(pid, 'SIGKILL');
    await running.waitFor(/collector-0 +\| jobs\.result "1 done"$/);
    expect(running.matching(/worker-0 +\| got /).map((l) => l.replace(/^.*\| /, ''))).toEqual(['got 1 attempt=1', 'got 2 attempt=1', 'got 1 attempt=2']);
    expect(running.matching(/collector-0 +\| jobs\.result /).map((l) => l.replace(/^.*\| /, ''))).toEqual(['jobs.result "2 done"', 'jobs.result "1 done"']);
    expect((await tasks(file)).find((t) => t.name === 'worker')).toMatchObject({ queued: 0, inFlight: 0, deadLettered: 0 });
    await stopRun(running, file);
  });
});

describe('queue limits are exact', () => {
  it('never lets a fast pod publisher take a "block" queue past max_queue = 100, and loses nothing', { timeout: 90_000 }, async () => {
    const count = 200_000;
    const file = writeConfig(
      `[tasks.sink]\ncommand = ["node", ${fx('trickle-consumer.mjs')}]\nsubscribe = ["jobs"]\nstdin = "payload"\nmax_queue = 100\noverflow = "block"\n` +
        `env = { EXPECT = "${count}", READ_BYTES = "8192", PAUSE_MS = "20", WAIT_SIGNAL = "1" }\n\n` +
        `[tasks.producer]\ncommand = ["node", ${fx('publish-n.mjs')}]\nenv = { COUNT = "${count}" }\n`,
    );
    running = await startRun(file, 2);
    const pid = Number(/pid=(\d+)/.exec((await running.waitFor(/sink-0 +\| ready pid=\d+$/))[0]!)![1]);
    const depth = async (): Promise<number> => (await tasks(file)).find((t) => t.name === 'sink')!.queued;
    // The sink reads nothing yet: the pipes fill, then the queue, and the producer is held back.
    let full = await depth();
    while (full < 100) full = await depth();
    expect(full).toBe(100);
    process.kill(pid, 'SIGUSR2');
    const consumed = running.waitFor(/sink-0 +\| consumed \d+/, 1, 80_000);
    let done = false;
    void consumed.finally(() => (done = true)).catch(() => {});
    const depths: number[] = [];
    while (!done) depths.push(await depth());
    expect((await consumed)[0]).toMatch(new RegExp(`consumed ${count} ok$`));
    expect(Math.max(...depths)).toBeLessThanOrEqual(100);
    await stopRun(running, file);
  });
});
