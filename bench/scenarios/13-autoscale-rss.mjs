// Memory after an autoscaled pool has scaled back to zero: the orchestrator's RSS (plus its
// watchdog) once the pool that took a burst of 2,000 jobs has stopped every pod, against the same
// run's idle figure before the burst. RSS is read when it has stopped moving: sampled every 250 ms
// until it stayed within 0.25 MB for 2 s (at most 15 s). V8 keeps the burst's garbage in old-space
// pages until its next full GC, which it schedules by allocation, not by time, so the heap the
// orchestrator has committed (its last --trace-gc line) is reported beside RSS in an info row.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { footprint } from '../lib/footprint.mjs';
import { cleanup, cliPath, fixture, readResults, run, scratch, sleep, startOrchestrator, task, waitUntil } from '../lib/harness.mjs';
import { mapSeries } from '../lib/stats.mjs';

const JOBS = 2000;
const SETTLE = { everyMs: 250, windowMs: 2000, withinMb: 0.25, maxMs: 15000 };

/** Samples `measure()` until it stayed within SETTLE.withinMb over SETTLE.windowMs (or maxMs passed); returns the last sample and the wait. */
async function settled(measure) {
  const t0 = Date.now();
  const window = [];
  for (;;) {
    const now = measure();
    window.push({ at: Date.now(), now });
    while (window.length > 0 && window[0].at < Date.now() - SETTLE.windowMs) window.shift();
    const values = window.map((w) => w.now.rssMb);
    const covered = window.length > 1 && window[window.length - 1].at - window[0].at >= SETTLE.windowMs - SETTLE.everyMs;
    if ((covered && Math.max(...values) - Math.min(...values) <= SETTLE.withinMb) || Date.now() - t0 > SETTLE.maxMs) return { ...now, waitedMs: Date.now() - t0 };
    await sleep(SETTLE.everyMs);
  }
}

/** Pids of the orchestrator's children that run the worker (its pods of the pool). */
function workerPods(orchestratorPid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== orchestratorPid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('burst-worker.cjs')) out.push(Number(name));
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

/** `orchestrator publish TOPIC 1` against the run in `file`'s directory. */
async function publish(file, topic) {
  const p = run(process.execPath, [cliPath(), 'publish', '-f', file, topic, '1'], { timeoutMs: 30000 });
  const { code } = await p.exited;
  if (code !== 0) throw new Error(`orchestrator publish ${topic}: exit ${code}\n${p.tail()}`);
}

async function scaleDownRss(timeoutMs) {
  const dir = scratch('asrss');
  const out = join(dir, 'out');
  const env = { BENCH_MSGS: String(JOBS), BENCH_EXPECT: String(JOBS), BENCH_OUT: out, BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  const toml =
    task('worker', { command: ['node', fixture('burst-worker.cjs')], subscribe: ['jobs'], mode: 'round_robin', autoscale: { min: 0, max: 8, idle: '1s' }, env: { BENCH_WORK_MS: '5' }, show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    // Goes on the collector's announcement and the bench's `bench.go`.
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: '2' } });
  let heapMb = null;
  const orch = startOrchestrator(dir, toml, {
    timeoutMs,
    nodeArgs: ['--trace-gc'],
    // `… MB: Scavenge 11.3 (15.7) -> 9.4 (16.7) MB, …`: the heap used after it, and (committed).
    onLine: (line) => {
      const m = / -> [\d.]+ \(([\d.]+)\) MB/.exec(line);
      if (m !== null) heapMb = Number(m[1]);
    },
  });
  const measure = () => ({ ...footprint(orch.pid, 'orchestrator'), heapMb });
  try {
    // The first API request loads the control server's request path: before the idle figure, not after.
    await sleep(1000);
    await publish(join(dir, 'tasks.toml'), 'bench.warmup');
    const idle = await settled(measure);
    await publish(join(dir, 'tasks.toml'), 'bench.go');
    await waitUntil(() => readResults(out).some((r) => r.role === 'consumer'), timeoutMs, 'the collector has every result');
    await waitUntil(() => workerPods(orch.pid).length === 0, timeoutMs, 'the pool back at 0 pods');
    const after = await settled(measure);
    return { idleMb: idle.rssMb, afterMb: after.rssMb, idleHeapMb: idle.heapMb ?? NaN, afterHeapMb: after.heapMb ?? NaN, settleMs: after.waitedMs };
  } finally {
    orch.kill('SIGTERM');
    await orch.exited;
    cleanup(dir);
  }
}

export default {
  id: 'autoscale-rss',
  roundMs: 25000,
  measurements(ctx) {
    return { ours: { orchestrator: true, fn: () => scaleDownRss(ctx.timeoutMs) } };
  },
  rows: (s) => [
    {
      scenario: `RSS (orchestrator + watchdog) after a pool min 0, max 8 took ${JOBS} jobs and scaled back to 0, settled (stable 2 s, at most 15 s)`,
      unit: 'MB',
      ours: mapSeries(s.ours, (r) => r.afterMb),
      baseline: { label: 'the same run, idle before the burst (settled the same way)', series: mapSeries(s.ours, (r) => r.idleMb) },
      target: { kind: 'ratio-max', value: 1.1, text: '≤ 1.1 × idle' },
      lowerIsBetter: true,
    },
    {
      scenario: 'V8 heap committed by the orchestrator after the scale-down (its last GC), against idle',
      unit: 'MB',
      ours: mapSeries(s.ours, (r) => r.afterHeapMb),
      baseline: { label: 'the same run, idle before the burst', series: mapSeries(s.ours, (r) => r.idleHeapMb) },
      target: null,
      lowerIsBetter: true,
    },
  ],
};
