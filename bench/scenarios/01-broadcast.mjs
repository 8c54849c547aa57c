// pod → pod, broadcast, 1 producer → 1 consumer, 100-byte payloads, 200k messages (msgs/s), against the
// minimal relay, NATS pub/sub and a direct pipe, all in the same run.
import { join } from 'node:path';
import { cpuPerK, killAll, orchestratorFlow, pipeFlow, rate, startReady, verify } from '../lib/flows.mjs';
import { mapSeries } from '../lib/stats.mjs';
import { cleanup, envNum, expectExit, fixture, readResults, run, scratch, task } from '../lib/harness.mjs';

export function broadcastToml(dir, n, size, consumers) {
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out') };
  let toml = '';
  for (let i = 0; i < consumers; i++) {
    toml += task(`consumer${i}`, { command: ['node', fixture('consumer.mjs')], subscribe: ['bench'], restart: 'never', env, show_stdout: false });
  }
  toml += task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(consumers) } });
  return toml;
}

export async function oursBroadcast(n, size, consumers, timeoutMs) {
  const dir = scratch('bcast');
  try {
    const { results, cpu } = await orchestratorFlow(dir, broadcastToml(dir, n, size, consumers), consumers + 1, timeoutMs, { selfTerminating: true });
    verify(results, n * consumers, `orchestrator broadcast to ${consumers}`);
    return { rate: rate(n * consumers, results), cpuPerK: cpuPerK(n * consumers, results, cpu) };
  } finally {
    cleanup(dir);
  }
}

export async function natsPubSub(url, n, size, timeoutMs) {
  const dir = scratch('nats');
  const env = { BENCH_NATS_URL: url, BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'bench' };
  const subs = await startReady(1, 'nats-sub.mjs', () => ({ ...env, BENCH_NAME: 'sub' }), timeoutMs);
  try {
    const pub = run(process.execPath, [fixture('nats-pub.mjs')], { env: { ...env, BENCH_NAME: 'pub' }, timeoutMs });
    await expectExit(subs[0], 'nats-sub');
    await expectExit(pub, 'nats-pub');
    const results = readResults(join(dir, 'out'));
    verify(results, n, 'NATS pub/sub');
    return rate(n, results);
  } finally {
    killAll(subs);
    cleanup(dir);
  }
}

export async function pipeRate(n, size, relay, timeoutMs) {
  const dir = scratch('pipe');
  try {
    const { results } = await pipeFlow(dir, { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size) }, { relay, timeoutMs });
    verify(results, n, relay ? 'relay' : 'direct pipe');
    return rate(n, results);
  } finally {
    cleanup(dir);
  }
}

const NO_NATS = 'nats-server not on PATH or in /usr/sbin';

/** Ours' rate (the table's rows) and, for --compare only, the orchestrator's CPU per 1,000 deliveries. */
export function throughput(series) {
  return { rate: mapSeries(series, (x) => x.rate), cpu: mapSeries(series, (x) => x.cpuPerK) };
}

export function cpuRow(scenario, series, unit = 'CPU ms per 1k msgs') {
  return { scenario, unit, ours: series, baseline: null, target: null, lowerIsBetter: true, abOnly: true };
}

/** NATS baseline measurement, or why there is none. */
export function natsMeasurement(ctx, fn) {
  return ctx.natsUrl === null ? { unavailable: NO_NATS } : { fn: () => fn(ctx.natsUrl) };
}

export default {
  id: 'broadcast',
  roundMs: 8000,
  measurements(ctx) {
    const n = envNum('BENCH_MSGS', 200000);
    const size = envNum('BENCH_PAYLOAD', 100);
    return {
      ours: { orchestrator: true, fn: () => oursBroadcast(n, size, 1, ctx.timeoutMs) },
      relay: { fn: () => pipeRate(n, size, true, ctx.timeoutMs) },
      pipe: { fn: () => pipeRate(n, size, false, ctx.timeoutMs) },
      nats: natsMeasurement(ctx, (url) => natsPubSub(url, n, size, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const scenario = `pod → pod broadcast 1→1, ${envNum('BENCH_PAYLOAD', 100)} B × ${envNum('BENCH_MSGS', 200000)}`;
    const ours = throughput(s.ours);
    return [
      { scenario, unit: 'msgs/s', ours: ours.rate, baseline: { label: 'minimal relay', series: s.relay }, target: { kind: 'ratio-min', value: 0.7, text: '≥ 0.7 × minimal relay' } },
      { scenario, unit: 'msgs/s', ours: ours.rate, baseline: { label: 'NATS pub/sub', series: s.nats }, target: { kind: 'ratio-min', value: 1.5, text: '≥ 1.5 × NATS pub/sub' } },
      { scenario, unit: 'msgs/s', ours: ours.rate, baseline: { label: 'direct pipe (no router)', series: s.pipe }, target: null },
      cpuRow(scenario, ours.cpu),
    ];
  },
};
