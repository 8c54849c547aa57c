// A producer floods 2 GB at a slow consumer (overflow = "block"): peak RSS (VmHWM from /proc) of the
// orchestrator plus its watchdog against the minimal relay's, and nothing lost: the consumer checks
// count, order, length and tail marker (a loss is an error of the row, never a pass).
import { join } from 'node:path';
import { cleanup, envNum, fixture, scratch, task } from '../lib/harness.mjs';
import { orchestratorFlow, pipeFlow, verify } from '../lib/flows.mjs';

function sizes(totalMb = envNum('BENCH_FLOOD_MB', 2048)) {
  const size = envNum('BENCH_FLOOD_MSG_BYTES', 4096);
  const n = Math.floor((totalMb * 1024 * 1024) / size);
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_TOPIC: 'flood', BENCH_CHECK: 'seq', BENCH_RATE_MBPS: String(envNum('BENCH_FLOOD_CONSUMER_MBPS', 150)) };
  return { size, totalMb, n, env };
}

// BENCH_FLOOD_QUEUE_BYTES sets the consumer's max_queue_bytes (default: the orchestrator's default).
const queueBytes = () => (process.env.BENCH_FLOOD_QUEUE_BYTES ? { max_queue_bytes: process.env.BENCH_FLOOD_QUEUE_BYTES } : {});

async function ours(timeoutMs) {
  const { n, env } = sizes();
  const dir = scratch('flood');
  const e = { ...env, BENCH_OUT: join(dir, 'out') };
  const toml =
    task('consumer', { command: ['node', fixture('consumer.mjs')], subscribe: ['flood'], restart: 'never', overflow: 'block', ...queueBytes(), env: e, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...e, BENCH_WAIT_GO: '1' } });
  try {
    const { results, peak } = await orchestratorFlow(dir, toml, 2, timeoutMs, { selfTerminating: true, sampleMs: 50 });
    verify(results, n, 'orchestrator flood');
    return peak.peakHwmMb;
  } finally {
    cleanup(dir);
  }
}

// A backpressured relay's memory does not grow with the volume: a smaller flood keeps the scenario < 60 s.
const baselineMb = () => envNum('BENCH_FLOOD_BASELINE_MB', 256);

async function relay(timeoutMs) {
  const { n, env } = sizes(baselineMb());
  const dir = scratch('floodrelay');
  try {
    const { results, relayPeak } = await pipeFlow(dir, env, { relay: true, timeoutMs });
    verify(results, n, 'relay flood');
    return relayPeak.peakHwmMb;
  } finally {
    cleanup(dir);
  }
}

export default {
  id: 'flood',
  roundMs: 25000,
  runs: () => envNum('BENCH_FLOOD_RUNS', envNum('BENCH_RUNS', 5)),
  measurements: (ctx) => ({
    ours: { orchestrator: true, fn: () => ours(ctx.timeoutMs) },
    relay: { fn: () => relay(ctx.timeoutMs) },
  }),
  rows(s) {
    const { size, totalMb, env } = sizes();
    return [
      {
        scenario: `flood ${totalMb} MB (${size} B msgs) at a slow consumer (${env.BENCH_RATE_MBPS} MB/s), overflow = "block", nothing lost; ours = orchestrator + watchdog`,
        unit: 'MB peak RSS',
        ours: s.ours,
        baseline: { label: `minimal relay peak RSS (${baselineMb()} MB flood)`, series: s.relay },
        target: { kind: 'ratio-max', value: 2, text: '≤ 2 × relay peak RSS, lossless' },
        lowerIsBetter: true,
      },
    ];
  },
};
