// Work moving between instances: instance A holds 8 jobs (2 pods × concurrency 4, never answering);
// its orchestrator is killed (kill -9: the server redelivers after the lease, 2 s here) or stopped
// (SIGTERM: naks, redelivered at once); the ms until instance B's pods have all 8 back (attempt 2).
// Loss is counted exactly and fails the row. Baselines: the lease, and "at once" (0 ms).
import { addSample, newSeries } from '../lib/stats.mjs';
import { noteNats, whenNats } from '../lib/nats-bus.mjs';
import { handOver } from '../lib/nats-instances.mjs';
import { startJetStream } from '../lib/nats-jetstream.mjs';

const LEASE_MS = 2000;

async function measure(signal, timeoutMs) {
  const server = await startJetStream();
  try {
    return await handOver(server.url, signal, { leaseMs: LEASE_MS, timeoutMs });
  } finally {
    await server.stop();
  }
}

/** A series of one constant per run of `like` (the fixed bound a row is judged against). */
function constant(like, value) {
  const s = newSeries(like.unavailable ?? null);
  like.samples.forEach((_, run) => addSample(s, run, value));
  return s;
}

export default {
  id: 'nats-redelivery',
  roundMs: 15000,
  measurements(ctx) {
    noteNats();
    return {
      killed: { orchestrator: true, ...whenNats(() => measure('SIGKILL', ctx.timeoutMs)) },
      stopped: { orchestrator: true, ...whenNats(() => measure('SIGTERM', ctx.timeoutMs)) },
    };
  },
  rows(s) {
    return [
      { scenario: 'NATS bus: kill -9 of an instance holding 8 jobs → all 8 redelivered to the other instance (zero loss)', unit: 'ms', ours: s.killed, baseline: { label: `lease (${LEASE_MS} ms)`, series: constant(s.killed, LEASE_MS) }, target: { kind: 'offset-max', value: 1000, text: '≤ lease + 1 s' }, lowerIsBetter: true },
      { scenario: 'NATS bus: graceful stop of an instance holding 8 jobs → all 8 redelivered to the other instance (zero loss)', unit: 'ms', ours: s.stopped, baseline: { label: 'at once (0 ms)', series: constant(s.stopped, 0) }, target: { kind: 'offset-max', value: 1000, text: '< 1 s' }, lowerIsBetter: true },
    ];
  },
};
