// What the NATS client costs in memory: peak RSS (VmHWM) of the orchestrator and its watchdog while
// 2000 round-robin jobs flow through 4 workers with .result acks to a collector, with the bus on
// NATS JetStream (client loaded, one instance) against the same run on the in-process bus.
import { join } from 'node:path';
import { cleanup, envNum, fixture, scratch, task } from '../lib/harness.mjs';
import { orchestratorFlow, verify } from '../lib/flows.mjs';
import { busTable, noteNats, whenNats } from '../lib/nats-bus.mjs';
import { startJetStream } from '../lib/nats-jetstream.mjs';

function jobsToml(dir, n) {
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: '100', BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  return (
    task('worker', { command: ['node', fixture('worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', concurrency: 16, replicas: 4, restart: 'never', show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: '5' } })
  );
}

async function peakMb(n, nats, timeoutMs) {
  const server = nats ? await startJetStream() : null;
  const dir = scratch(nats ? 'natsrss' : 'memrss');
  try {
    const { results, peak } = await orchestratorFlow(dir, (server === null ? '' : busTable(server.url, 'one')) + jobsToml(dir, n), 2, timeoutMs, { sampleMs: 50 });
    verify(results, n, nats ? 'NATS bus RSS run' : 'in-process RSS run');
    return peak.peakHwmMb;
  } finally {
    cleanup(dir);
    await server?.stop();
  }
}

const jobs = () => envNum('BENCH_NATS_RSS_JOBS', 2000);

export default {
  id: 'nats-rss',
  roundMs: 15000,
  measurements(ctx) {
    noteNats();
    return {
      nats: { orchestrator: true, ...whenNats(() => peakMb(jobs(), true, ctx.timeoutMs)) },
      memory: { orchestrator: true, fn: () => peakMb(jobs(), false, ctx.timeoutMs) },
    };
  },
  rows(s) {
    return [
      { scenario: `NATS bus: orchestrator + watchdog peak RSS, ${jobs()} round-robin jobs (4 workers, c=16, .result acks), 1 instance`, unit: 'MB peak RSS', ours: s.nats, baseline: { label: 'the same run on the in-process bus', series: s.memory }, target: null, lowerIsBetter: true },
    ];
  },
};
