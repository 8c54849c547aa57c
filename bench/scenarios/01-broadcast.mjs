// pod → pod, broadcast, 1 producer → 1 consumer, 100-byte payloads, 200k messages (msgs/s).
import { cleanup, envNum, fixture, task } from '../lib/harness.mjs';
import { killAll, orchestratorFlow, pipeFlow, rate, startReady, verify } from '../lib/flows.mjs';
import { join } from 'node:path';
import { run, expectExit, readResults, scratch } from '../lib/harness.mjs';

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
    const { results } = await orchestratorFlow(dir, broadcastToml(dir, n, size, consumers), consumers + 1, timeoutMs, { selfTerminating: true });
    verify(results, n * consumers, `orchestrator broadcast to ${consumers}`);
    return rate(n * consumers, results);
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

export default {
  id: 'broadcast',
  async run(ctx) {
    const n = envNum('BENCH_MSGS', 200000);
    const size = envNum('BENCH_PAYLOAD', 100);
    const ours = [];
    const relay = [];
    const pipe = [];
    const nats = [];
    for (let r = 0; r < ctx.runs && ctx.timeLeft() > 8000; r++) {
      ours.push(await oursBroadcast(n, size, 1, ctx.timeLeft()));
      relay.push(await pipeRate(n, size, true, ctx.timeLeft()));
      pipe.push(await pipeRate(n, size, false, ctx.timeLeft()));
      if (ctx.natsUrl !== null) nats.push(await natsPubSub(ctx.natsUrl, n, size, ctx.timeLeft()));
    }
    const scenario = `pod → pod broadcast 1→1, ${size} B × ${n}`;
    return [
      { scenario, unit: 'msgs/s', ours, baseline: { label: 'minimal relay', samples: relay }, target: { kind: 'ratio-min', value: 0.5, text: '≥ 0.5 × minimal relay' } },
      { scenario, unit: 'msgs/s', ours, baseline: { label: 'NATS pub/sub', samples: nats }, target: { kind: 'ratio-min', value: 1.2, text: '≥ 1.2 × NATS pub/sub' } },
      { scenario, unit: 'msgs/s', ours, baseline: { label: 'direct pipe', samples: pipe }, target: null },
    ];
  },
};
