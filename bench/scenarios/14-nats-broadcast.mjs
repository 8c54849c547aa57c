// Broadcast through our NATS mode: 1 producer pod → 1 consumer pod on one instance, every message
// stored in the consumer task's stream and pulled back, against raw core NATS pub/sub (the fastest
// NATS path, at most once, nothing stored).
import { cleanup, envNum, scratch } from '../lib/harness.mjs';
import { orchestratorFlow, rate, verify } from '../lib/flows.mjs';
import { busTable, noteNats, whenNats } from '../lib/nats-bus.mjs';
import { startJetStream } from '../lib/nats-jetstream.mjs';
import { broadcastToml, natsPubSub } from './01-broadcast.mjs';

async function ours(n, size, timeoutMs) {
  const server = await startJetStream();
  const dir = scratch('natsbcast');
  try {
    // The whole burst fits the consumer's stream: a full stream with overflow = "block" retries
    // parked publishes, which may then land after later ones (docs/nats.md).
    const toml = broadcastToml(dir, n, size, 1).replace('[tasks.consumer0]\n', `[tasks.consumer0]\nmax_queue = ${n}\nmax_queue_bytes = "256MiB"\n`);
    const { results } = await orchestratorFlow(dir, busTable(server.url, 'one') + toml, 2, timeoutMs);
    verify(results, n, 'NATS bus broadcast');
    return rate(n, results);
  } finally {
    cleanup(dir);
    await server.stop();
  }
}

async function core(n, size, timeoutMs) {
  const server = await startJetStream();
  try {
    return await natsPubSub(server.url, n, size, timeoutMs);
  } finally {
    await server.stop();
  }
}

const sizes = () => ({ n: envNum('BENCH_NATS_MSGS', 20000), size: envNum('BENCH_PAYLOAD', 100) });

export default {
  id: 'nats-broadcast',
  roundMs: 15000,
  measurements(ctx) {
    const { n, size } = sizes();
    noteNats();
    return {
      ours: { orchestrator: true, ...whenNats(() => ours(n, size, ctx.timeoutMs)) },
      core: whenNats(() => core(n, size, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const { n, size } = sizes();
    return [
      { scenario: `NATS bus broadcast, 1 producer → 1 consumer, ${n} msgs of ${size} B, 1 instance`, unit: 'msgs/s', ours: s.ours, baseline: { label: 'raw core NATS pub/sub', series: s.core }, target: null },
    ];
  },
};
