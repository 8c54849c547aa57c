import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/control/target.js';
import { json, killLeftover, pods, socketOf, stopRun, tasks, untilPods, verb } from './control-harness.js';
import { fx, runCli, until, writeConfig, type CliRun } from './harness.js';

let run: CliRun | null = null;
afterEach(async () => {
  await killLeftover(run);
  run = null;
});

function start(file: string, extra: string[] = []): CliRun {
  run = runCli(['run', file, '--no-timestamps', ...extra]);
  return run;
}

async function untilTask(file: string, name: string, predicate: (t: TaskInfo) => boolean, what: string, ms = 15_000): Promise<TaskInfo> {
  await until(() => existsSync(socketOf(file)), ms, 'the control socket exists');
  const deadline = Date.now() + ms;
  for (;;) {
    const task = (await tasks(file)).find((t) => t.name === name);
    if (task !== undefined && predicate(task)) return task;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; ${name}: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

// The sink job never becomes ready (ready = "signal", and it sends none), so every message for it
// stays in its queue until it exits: the numbers are exact, not a race with its stdin pipe.
const sinkJob = (go: string): string =>
  `[tasks.sink]\ncommand = [${fx('exit-when-file.sh')}, ${JSON.stringify(go)}]\nrestart = "never"\nready = "signal"\nsubscribe = ["jobs"]\n`;

describe('a finished job that subscribes to a topic', () => {
  it('--exit-on-complete exits 0 once it has finished, dropping and counting what was queued for it', async () => {
    const file = writeConfig('');
    const go = join(dirname(file), 'go');
    writeFileSync(file, `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "5" }\n\n${sinkJob(go)}`);
    const r = start(file, ['--exit-on-complete', '--timeout', '60s']);
    await untilTask(file, 'sink', (t) => t.queued === 5, 'sink has 5 messages queued');
    writeFileSync(go, '');
    expect(await r.exit()).toEqual({ code: 0, signal: null });
    expect(r.matching(/orchestrator \| sink: dropped/)).toEqual(['orchestrator | sink: dropped 5 messages (sink has finished: nothing will read them)']);
    expect(r.matching(/\| sink +succeeded +1 +1 +0 +0 +0 +0 +0 +5 /)).toHaveLength(1);
    expect(r.matching(/\| producer +stopped +1 +- +- +0 +0 +0 +0 +0 /)).toHaveLength(1);
  });

  it('a failed job and the job skipped because of it drop what was queued for them too: --exit-on-complete exits 1 at once', async () => {
    const file = writeConfig('');
    const go = join(dirname(file), 'go');
    writeFileSync(
      file,
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "5" }\n\n` +
        `[tasks.sink]\ncommand = "${fx('exit-when-file.sh').slice(1, -1)} ${go} && exit 3"\nshell = true\nrestart = "never"\nready = "signal"\nsubscribe = ["jobs"]\n\n` +
        `[tasks.after]\ncommand = ["true"]\nrestart = "never"\nsubscribe = ["jobs"]\ndepends_on = { sink = "completed" }\n`,
    );
    const r = start(file, ['--exit-on-complete', '--timeout', '60s']);
    await untilTask(file, 'after', (t) => t.queued === 5, 'after (waiting for sink) has 5 messages queued');
    await untilTask(file, 'sink', (t) => t.queued === 5, 'sink has 5 messages queued');
    writeFileSync(go, '');
    expect(await r.exit()).toEqual({ code: 1, signal: null });
    expect(r.matching(/\| sink +failed +1 +0 +1 +0 +0 +0 +0 +5 /)).toHaveLength(1);
    expect(r.matching(/\| after +skipped +1 +0 +0 +0 +0 +0 +0 +5 /)).toHaveLength(1);
  });

  it('drops what is published to it after it finished at once, counted in tasks -o json', async () => {
    const file = writeConfig('');
    const go = join(dirname(file), 'go');
    writeFileSync(
      file,
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nsubscribe = ["system.pods"]\nenv = { TOPIC = "jobs", COUNT = "5", AFTER_EXIT_OF = "sink-0" }\n\n${sinkJob(go)}`,
    );
    const r = start(file);
    await untilTask(file, 'sink', (t) => t.queued === 5, 'sink has 5 messages queued');
    writeFileSync(go, '');
    await r.waitFor(/producer-0 +\| published 6\.\.10$/);
    const sink = (await tasks(file)).find((t) => t.name === 'sink');
    expect(sink).toMatchObject({ state: 'completed', queued: 0, delivered: 0, dropped: 10, rejected: 0, discarded: { 'job-finished': 10 } });
    await r.waitFor(/sink: dropped 5 messages \(sink has finished: nothing will read them\) in the last [\d.]+m?s; 10 in all$/);
    expect(r.matching(/orchestrator \| sink: dropped/)).toHaveLength(2);
    await stopRun(r, file);
  });
});

describe('a subscriber that never reads its stdin', () => {
  const padding = 'x'.repeat(100);
  const publisher = `[tasks.pub]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "3000", PREFIX = "${padding}" }\n\n`;

  it('is reported once as stalled, with the queue it holds back, and shown as STALLED by ps and tasks', { timeout: 40_000 }, async () => {
    const file = writeConfig(`${publisher}[tasks.stuck]\ncommand = ["sleep", "1000"]\nsubscribe = ["jobs"]\nmax_queue = 100\n`);
    const r = start(file);
    const [warning] = await r.waitFor(/has not read its stdin/, 1, 20_000);
    const stuck = await untilTask(file, 'stuck', (t) => t.stalled === 1, 'tasks shows the stalled pod');
    expect(stuck.queued).toBeGreaterThanOrEqual(100); // block: publishers stop once it is full
    expect(warning).toMatch(new RegExp(`^orchestrator \\| stuck-0 has not read its stdin for \\d+s; ${n(stuck.queued)} messages wait in stuck's queue \\(publishers to "jobs" are paused\\)$`));
    const pod = (await pods(file)).find((p) => p.name === 'stuck-0');
    expect(pod).toMatchObject({ status: 'running', ready: true, stalled: true });
    expect(stuck.queued + pod!.delivered).toBeLessThanOrEqual(3000);
    const table = await verb(['ps', '-f', file]);
    expect(table.stdout.split('\n').filter((l) => l.startsWith('stuck-0'))).toEqual([expect.stringMatching(/^stuck-0 +STALLED \(\d+s\) +1\/1 /)]);
    const taskTable = await verb(['tasks', '-f', file]);
    expect(taskTable.stdout.split('\n')[0]).toMatch(/ DEAD +DROPPED +STALLED$/);
    expect(taskTable.stdout.split('\n').filter((l) => l.startsWith('stuck '))).toEqual([expect.stringMatching(/ 0 +0 +1$/)]);
    const events = await json<{ events: Array<{ type: string; pod?: string; queued?: number }> }>(['events'], file);
    expect(events.events.filter((e) => e.type === 'pod-stalled')).toMatchObject([{ pod: 'stuck-0', queued: stuck.queued }]);
    // Several checks later it is still the one warning of this episode.
    await untilPods(file, (p) => p.some((x) => x.stalledSince !== null && Date.now() - x.stalledSince >= 8000), 'the stall has lasted 8 s', 20_000);
    expect(r.matching(/has not read its stdin/)).toHaveLength(1);
    await stopRun(r, file);
  });

  it('stall_timeout restarts it like a failed liveness probe; its messages are redelivered to the new run', { timeout: 40_000 }, async () => {
    const file = writeConfig('');
    const marker = join(dirname(file), 'marker');
    writeFileSync(
      file,
      `${publisher}[tasks.stuck]\ncommand = ["node", ${fx('reads-stdin-after-restart.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nconcurrency = 10000\nstdin = "json"\n` +
        `max_queue = 100\nstall_timeout = "2s"\nenv = { MARKER = ${JSON.stringify(marker)}, EXPECT = "3000" }\n`,
    );
    const r = start(file);
    await r.waitFor(/^orchestrator \| stuck-0 has not read its stdin for 2s; [\d,]+ messages wait in stuck's queue \(publishers to "jobs" are paused\)$/, 1, 20_000);
    await r.waitFor(/^orchestrator \| stuck-0: stdin not read for 2s \(stall_timeout 2s\); restarting it$/);
    const [received] = await r.waitFor(/stuck-0 +\| received /, 1, 20_000);
    const again = Number(/(\d+) with attempt 2$/.exec(received!)![1]);
    expect(received).toMatch(/\| received 3000 distinct, 0 twice or more, \d+ with attempt 2$/);
    expect(again).toBeGreaterThan(0);
    const stuck = (await tasks(file)).find((t) => t.name === 'stuck');
    expect(stuck).toMatchObject({ queued: 0, inFlight: 0, dropped: 0, redelivered: again, stalled: 0 });
    expect(r.matching(/has not read its stdin/)).toHaveLength(1);
    const events = await json<{ events: Array<{ type: string; pod?: string; how?: string }> }>(['events'], file);
    expect(events.events.filter((e) => e.type === 'pod-stalled' || e.type === 'pod-unstalled' || e.type === 'pod-unhealthy').map((e) => [e.type, e.pod, e.how])).toEqual([
      ['pod-stalled', 'stuck-0', undefined],
      ['pod-unhealthy', 'stuck-0', undefined],
      ['pod-unstalled', 'stuck-0', 'gone'],
    ]);
    await stopRun(r, file);
  });
});

describe('overflow = "drop_oldest" under a flood', () => {
  it('logs a few summary lines, not one per dropped message; tasks -o json has the exact count', { timeout: 60_000 }, async () => {
    const count = 200_000;
    const file = writeConfig(
      `[tasks.pub]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "${count}" }\n\n` +
        `[tasks.sink]\ncommand = ["sleep", "1000"]\nsubscribe = ["jobs"]\noverflow = "drop_oldest"\nmax_queue = 1000\n`,
    );
    const startedAt = Date.now();
    const r = start(file);
    await r.waitFor(new RegExp(`pub-0 +\\| published 1\\.\\.${count}$`), 1, 50_000);
    const sink = (await untilTask(file, 'sink', () => true, 'tasks answers'))!;
    expect(sink.queued).toBe(1000);
    expect(sink.dropped).toBe(count - sink.delivered - sink.queued);
    expect(sink.discarded).toEqual({ overflow: sink.dropped });
    const [last] = await r.waitFor(new RegExp(`; ${n(sink.dropped)} in all$`), 1, 10_000);
    const elapsedS = (Date.now() - startedAt) / 1000;
    expect(last).toMatch(new RegExp(`^orchestrator \\| sink: dropped [\\d,]+ messages \\(overflow = "drop_oldest", max_queue 1000\\) in the last [\\d.]+m?s; ${n(sink.dropped)} in all$`));
    const lines = r.matching(/dropped/);
    expect(lines[0]).toBe('orchestrator | sink: dropped 1 message (overflow = "drop_oldest", max_queue 1000)');
    for (const line of lines.slice(1)) expect(line).toMatch(/^orchestrator \| sink: dropped [\d,]+ messages \(overflow = "drop_oldest", max_queue 1000\) in the last [\d.]+m?s; [\d,]+ in all$/);
    const counts = lines.map((l) => Number(/dropped ([\d,]+)/.exec(l)![1]!.replace(/,/g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(sink.dropped);
    // The first drop at once, then at most one line per second of the run.
    expect(lines.length).toBeLessThanOrEqual(1 + Math.ceil(elapsedS));
    await stopRun(r, file);
    expect(r.matching(/\| sink +stopped +1 +- +- +0 +\d+ +0 +0 +\d+ /)[0]).toMatch(new RegExp(` ${sink.delivered} +0 +0 +${sink.dropped} `));
  });

  it('removing a task logs one line with the number of messages its queue still held', { timeout: 40_000 }, async () => {
    const pub = `[tasks.pub]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "3000", PREFIX = "${'x'.repeat(100)}" }\n`;
    const file = writeConfig(`${pub}\n[tasks.sink]\ncommand = ["sleep", "1000"]\nsubscribe = ["jobs"]\nmax_queue = 100\n`);
    const r = start(file);
    // It never reads: once its stdin is full the queue stops moving (and the publisher waits).
    const sink = await untilTask(file, 'sink', (t) => t.stalled === 1, 'sink is stalled', 20_000);
    writeFileSync(file, pub);
    await json(['apply', '--wait'], file);
    await r.waitFor(/sink: dropped/);
    await stopRun(r, file);
    expect(r.matching(/sink: dropped/)).toEqual([`orchestrator | sink: dropped ${n(sink.queued)} messages (the task was removed)`]);
  });
});
