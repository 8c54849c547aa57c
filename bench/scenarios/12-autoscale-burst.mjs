// A burst of jobs to an autoscaled pool (min 0, max 8) of 5 ms workers: total time from the first
// publish to the last `.result`, against a fixed pool of 8 of the same workers that is already running.
import { join } from 'node:path';
import { cleanup, envNum, fixture, scratch, task } from '../lib/harness.mjs';
import { orchestratorFlow, verify, window } from '../lib/flows.mjs';

const jobs = () => envNum('BENCH_BURST_JOBS', 2000);

async function burst(autoscaled, n, timeoutMs) {
  const dir = scratch('burst');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  const size = autoscaled ? { autoscale: { min: 0, max: 8, idle: '1m' } } : { replicas: 8 };
  const toml =
    task('worker', { command: ['node', fixture('pool-worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', ...size, env: { BENCH_WORK_MS: '5' }, show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(autoscaled ? 1 : 9) } });
  try {
    const { results } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    verify(results, n, autoscaled ? 'autoscaled burst' : 'fixed pool burst');
    const { fromNs, toNs } = window(results);
    return Number(toNs - fromNs) / 1e6;
  } finally {
    cleanup(dir);
  }
}

export default {
  id: 'autoscale-burst',
  roundMs: 8000,
  measurements(ctx) {
    return {
      ours: { orchestrator: true, fn: () => burst(true, jobs(), ctx.timeoutMs) },
      fixed: { orchestrator: true, fn: () => burst(false, jobs(), ctx.timeoutMs) },
    };
  },
  rows: (s) => [
    {
      scenario: `burst of ${jobs()} jobs (5 ms each) to a pool min 0, max 8: first publish → last .result`,
      unit: 'ms',
      ours: s.ours,
      baseline: { label: 'fixed pool of 8, already running', series: s.fixed },
      target: { kind: 'ratio-max', value: 1.2, text: '≤ 1.2 × fixed pool of 8' },
      lowerIsBetter: true,
    },
  ],
};
