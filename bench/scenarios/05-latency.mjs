// publish → worker → `.result` → subscriber at 1k msgs/s: p50 and p99 against the same path through NATS.
import { join } from 'node:path';
import { cleanup, envNum, expectExit, fixture, readResults, run, scratch, task } from '../lib/harness.mjs';
import { killAll, orchestratorFlow, startReady } from '../lib/flows.mjs';
import { mapSeries } from '../lib/stats.mjs';
import { natsMeasurement } from './01-broadcast.mjs';

function latencyOf(results, what) {
  const c = results.find((r) => r.role === 'consumer');
  if (c === undefined || c.errors > 0) throw new Error(`${what}: ${c?.firstError ?? 'no collector result'}`);
  return c;
}

async function ours(n, rateHz, timeoutMs) {
  const dir = scratch('lat');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'latency', BENCH_MODE: 'rate', BENCH_RATE: String(rateHz) };
  const toml =
    task('worker', { command: ['node', fixture('worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', restart: 'never', show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: '2' } });
  try {
    const { results } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    return latencyOf(results, 'orchestrator latency');
  } finally {
    cleanup(dir);
  }
}

async function nats(url, n, rateHz, timeoutMs) {
  const dir = scratch('natslat');
  const env = { BENCH_NATS_URL: url, BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'latency', BENCH_MODE: 'rate', BENCH_RATE: String(rateHz), BENCH_REPLY: 'publish' };
  const procs = [
    ...(await startReady(1, 'nats-responder.mjs', () => env, timeoutMs)),
    ...(await startReady(1, 'nats-sub.mjs', () => ({ ...env, BENCH_TOPIC: 'jobs.result', BENCH_NAME: 'sub' }), timeoutMs)),
  ];
  try {
    const pub = run(process.execPath, [fixture('nats-pub.mjs')], { env: { ...env, BENCH_NAME: 'pub' }, timeoutMs });
    await expectExit(pub, 'nats-pub');
    await expectExit(procs[1], 'nats-sub');
    return latencyOf(readResults(join(dir, 'out')), 'NATS latency');
  } finally {
    killAll(procs);
    cleanup(dir);
  }
}

export default {
  id: 'latency',
  roundMs: 12000,
  measurements(ctx) {
    const n = envNum('BENCH_LAT_MSGS', 3000);
    const hz = envNum('BENCH_LAT_RATE', 1000);
    return {
      ours: { orchestrator: true, fn: () => ours(n, hz, ctx.timeoutMs) },
      nats: natsMeasurement(ctx, (url) => nats(url, n, hz, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const scenario = `publish → worker → .result → subscriber at ${envNum('BENCH_LAT_RATE', 1000)} msgs/s (${envNum('BENCH_LAT_MSGS', 3000)} msgs)`;
    const label = 'NATS pub → responder → .result → sub';
    const p = (key) => (x) => x[key];
    return [
      { scenario, unit: 'ms p50', ours: mapSeries(s.ours, p('p50')), baseline: { label, series: mapSeries(s.nats, p('p50')) }, target: { kind: 'ratio-max', value: 0.6, text: 'p50 ≤ 0.6 × NATS' }, lowerIsBetter: true },
      { scenario, unit: 'ms p99', ours: mapSeries(s.ours, p('p99')), baseline: { label, series: mapSeries(s.nats, p('p99')) }, target: { kind: 'ratio-max', value: 1, text: 'p99 ≤ 1.0 × NATS' }, lowerIsBetter: true },
    ];
  },
};
