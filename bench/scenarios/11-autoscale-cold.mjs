// Cold start of an autoscaled pool: the first message to a pool at min = 0 → its `.result` at a
// subscriber, against raw spawn of the same worker plus one message round trip (spawn-roundtrip.mjs)
// plus one round trip through the same pool already running (min = 1).
import { join } from 'node:path';
import { cleanup, expectExit, fixture, readResults, run, scratch, task } from '../lib/harness.mjs';
import { orchestratorFlow } from '../lib/flows.mjs';

/** One message through a pool of the 0 ms worker with `min` pods at the start: publish → `.result` at a subscriber (ms). */
export async function poolRoundTrip(min, timeoutMs) {
  const dir = scratch('cold');
  const env = { BENCH_MSGS: '1', BENCH_EXPECT: '1', BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'latency', BENCH_MODE: 'rate', BENCH_RATE: '1000' };
  const toml =
    task('worker', { command: ['node', fixture('worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', autoscale: { min, max: 1, idle: '1m' }, show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    // Waits for the collector (and the running worker, with min = 1) to announce themselves.
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(min + 1) } });
  try {
    const { results } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    const c = results.find((r) => r.role === 'consumer');
    if (c === undefined || c.errors > 0 || c.p50 === undefined) throw new Error(`pool round trip (min ${min}): ${c?.firstError ?? 'no collector result'}`);
    return c.p50;
  } finally {
    cleanup(dir);
  }
}

/** Spawn the worker and send it one message directly: spawn call → its reply (ms). */
export async function rawSpawnRoundTrip(timeoutMs) {
  const dir = scratch('rawcold');
  try {
    const p = run(process.execPath, [fixture('spawn-roundtrip.mjs'), process.execPath, fixture('worker.mjs')], { env: { BENCH_OUT: join(dir, 'out'), BENCH_NAME: 'raw' }, timeoutMs });
    await expectExit(p, 'spawn-roundtrip');
    const [r] = readResults(join(dir, 'out'));
    if (r === undefined) throw new Error('spawn-roundtrip wrote no result');
    return r.ms;
  } finally {
    cleanup(dir);
  }
}

export default {
  id: 'autoscale-cold',
  roundMs: 6000,
  measurements(ctx) {
    return {
      ours: { orchestrator: true, fn: () => poolRoundTrip(0, ctx.timeoutMs) },
      baseline: { fn: async () => (await rawSpawnRoundTrip(ctx.timeoutMs)) + (await poolRoundTrip(1, ctx.timeoutMs)) },
    };
  },
  rows: (s) => [
    {
      scenario: 'cold start: first message to an autoscaled pool at 0 → its .result',
      unit: 'ms',
      ours: s.ours,
      baseline: { label: 'raw spawn + 1 round trip, plus 1 round trip through the running pool', series: s.baseline },
      target: { kind: 'ratio-max', value: 1.3, text: '≤ 1.3 × raw spawn + round trip' },
      lowerIsBetter: true,
    },
  ],
};
