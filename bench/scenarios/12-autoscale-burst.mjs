// A burst of jobs to an autoscaled pool (min 0, max 8) of 5 ms workers, two rows from the same runs:
// - total time from the first publish to the last `.result`, against a fixed pool of 8 of the same
//   workers that is already running;
// - time to 8 working pods: first publish → the 8th pod has read its first job (each worker stamps
//   that moment), against a minimal supervisor that spawns 8 of the same worker at once and writes
//   a job to each as it spawns (raw-pool.mjs). Both include eight Node start-ups; what ours adds is
//   the decision, the start path (environment, state file, watchdog, readiness) and the delivery,
//   while it also takes in the burst.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, envNum, fixture, readResults, run, scratch, task, waitUntil } from '../lib/harness.mjs';
import { orchestratorFlow, verify, window } from '../lib/flows.mjs';
import { mapSeries } from '../lib/stats.mjs';

const jobs = () => envNum('BENCH_BURST_JOBS', 2000);
const POOL = 8;
const WORKER = ['node', fixture('burst-worker.cjs')];

/** Each worker's stamps from BENCH_STAMP_DIR: { startNs, bootNs, firstJobNs } (monotonic ns, BigInt). */
function stamps(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => Object.fromEntries(Object.entries(JSON.parse(readFileSync(join(dir, f), 'utf8'))).map(([k, v]) => [k, BigInt(v)])));
}

/**
 * Time to a full pool from `fromNs`: `toFullMs` when the last worker had its first job, and for the
 * record where it went: `firstStartMs` and `lastStartMs` (the first and the last process started), `slowestBootMs` (process start →
 * script running, the longest of the pool), `meanFirstJobMs` (what the burst loses against a pool
 * already running is about this: each pod's time without work, over the pool) and `pods` (per pod
 * in start order: [started, script running, first job] in ms).
 */
function fullPool(found, fromNs) {
  if (found.length !== POOL) throw new Error(`${found.length} pods had work, expected ${POOL}`);
  const ms = (ns) => Number(ns - fromNs) / 1e6;
  const max = (xs) => xs.reduce((a, b) => (b > a ? b : a));
  const min = (xs) => xs.reduce((a, b) => (b < a ? b : a));
  const pods = [...found].sort((a, b) => (a.startNs < b.startNs ? -1 : 1)).map((s) => [s.startNs, s.bootNs, s.firstJobNs].map((ns) => Math.round(ms(ns))));
  const meanFirstJobMs = found.reduce((sum, s) => sum + ms(s.firstJobNs), 0) / found.length;
  return { firstStartMs: ms(min(found.map((s) => s.startNs))), toFullMs: ms(max(found.map((s) => s.firstJobNs))), lastStartMs: ms(max(found.map((s) => s.startNs))), slowestBootMs: Number(max(found.map((s) => s.bootNs - s.startNs))) / 1e6, meanFirstJobMs, pods };
}

/** One burst: { totalMs, ...fullPool } from the producer's first publish. */
async function burst(autoscaled, n, timeoutMs) {
  const dir = scratch('burst');
  const stampDir = join(dir, 'stamps');
  mkdirSync(stampDir);
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  const size = autoscaled ? { autoscale: { min: 0, max: POOL, idle: '1m' } } : { replicas: POOL };
  const toml =
    task('worker', { command: WORKER, subscribe: ['jobs'], mode: 'round_robin', ...size, env: { BENCH_WORK_MS: '5', BENCH_STAMP_DIR: stampDir }, show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(autoscaled ? 1 : POOL + 1) } });
  try {
    const { results } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    verify(results, n, autoscaled ? 'autoscaled burst' : 'fixed pool burst');
    const { fromNs, toNs } = window(results);
    return { totalMs: Number(toNs - fromNs) / 1e6, ...fullPool(stamps(stampDir), fromNs) };
  } finally {
    cleanup(dir);
  }
}

/** 8 workers spawned at once by raw-pool.mjs, a job written to each at spawn: fullPool from the first spawn call. */
async function rawPool(timeoutMs) {
  const dir = scratch('rawpool');
  const stampDir = join(dir, 'stamps');
  mkdirSync(stampDir);
  const out = join(dir, 'out');
  const proc = run(process.execPath, [fixture('raw-pool.mjs'), process.execPath, ...WORKER.slice(1)], {
    env: { BENCH_OUT: out, BENCH_NAME: 'raw-pool', BENCH_PODS: String(POOL), BENCH_STAMP_DIR: stampDir, BENCH_WORK_MS: '5' },
    timeoutMs,
  });
  try {
    const found = await waitUntil(() => {
      const all = stamps(stampDir);
      return all.length === POOL ? all : null;
    }, timeoutMs, 'raw pool: every worker has its job');
    const [r] = await waitUntil(() => (readResults(out).length > 0 ? readResults(out) : null), timeoutMs, 'raw pool result');
    return { ...fullPool(found, BigInt(r.t0Ns)), spawnLoopMs: Number(BigInt(r.spawnedNs) - BigInt(r.t0Ns)) / 1e6 };
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
    cleanup(dir);
  }
}

export default {
  id: 'autoscale-burst',
  roundMs: 10000,
  measurements(ctx) {
    return {
      ours: { orchestrator: true, fn: () => burst(true, jobs(), ctx.timeoutMs) },
      fixed: { orchestrator: true, fn: () => burst(false, jobs(), ctx.timeoutMs) },
      rawPool: { fn: () => rawPool(ctx.timeoutMs) },
    };
  },
  rows: (s) => [
    {
      scenario: `burst of ${jobs()} jobs (5 ms each) to a pool min 0, max ${POOL}: first publish → last .result`,
      unit: 'ms',
      ours: mapSeries(s.ours, (r) => r.totalMs),
      baseline: { label: `fixed pool of ${POOL}, already running`, series: mapSeries(s.fixed, (r) => r.totalMs) },
      target: { kind: 'ratio-max', value: 1.2, text: `≤ 1.2 × fixed pool of ${POOL}` },
      lowerIsBetter: true,
    },
    {
      scenario: `the same burst: first publish → all ${POOL} pods working (the ${POOL}th has read its first job)`,
      unit: 'ms',
      ours: mapSeries(s.ours, (r) => r.toFullMs),
      baseline: { label: `raw spawn of ${POOL} workers, a job written to each at spawn, until all ${POOL} read it`, series: mapSeries(s.rawPool, (r) => r.toFullMs) },
      target: { kind: 'ratio-max', value: 1.2, text: `≤ 1.2 × raw spawn of ${POOL}` },
      lowerIsBetter: true,
    },
  ],
};
