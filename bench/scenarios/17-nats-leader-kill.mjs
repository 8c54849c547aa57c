// A 3-node cluster, streams with replicas = 3: a producer pod publishes 100 jobs/s for 8 s through
// our NATS mode (one instance, 2 workers answering at once); 2 s in, the leader of the worker
// task's stream is killed (kill -9). The row is the longest gap between consecutive deliveries at
// the workers (the publish pause while a new leader is elected, plus redelivery); every job must
// arrive (loss counted exactly, the row fails on any).
import { join } from 'node:path';
import { cleanup, envNum, fixture, scratch, startOrchestrator, task, waitUntil } from '../lib/harness.mjs';
import { busTable, newProject, noteNats, whenNats } from '../lib/nats-bus.mjs';
import { startCluster, streamLeader } from '../lib/nats-cluster.mjs';
import { deliveryLog } from '../lib/nats-instances.mjs';
import { addSample, newSeries } from '../lib/stats.mjs';

async function leaderKillGap(n, hz, timeoutMs) {
  const cluster = await startCluster();
  const dir = scratch('natsleader');
  const log = join(dir, 'deliveries.jsonl');
  const project = newProject();
  let orch = null;
  try {
    const toml =
      busTable(cluster.urls, 'one', { project, lease: '3s', storage: 'file', replicas: 3 }) +
      task('worker', { command: ['node', fixture('nats-redelivery-worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', stdin: 'json', replicas: 2, restart: 'never', show_stdout: false, env: { BENCH_LOG: log, BENCH_HOLD: '0' } }) +
      task('producer', { command: ['node', fixture('producer.mjs')], restart: 'never', env: { BENCH_MSGS: String(n), BENCH_TOPIC: 'jobs', BENCH_MODE: 'rate', BENCH_RATE: String(hz), BENCH_OUT: join(dir, 'out') } });
    orch = startOrchestrator(dir, toml, { timeoutMs });
    const jobs = () => deliveryLog(log).filter((d) => d.data !== undefined);
    await waitUntil(() => jobs().length >= 2 * hz, timeoutMs, 'jobs flowing for 2 s');
    const leader = await streamLeader(cluster.urls, `ORCH_${project}_worker`);
    const node = cluster.nodes.find((x) => x.name === leader);
    if (node === undefined) throw new Error(`no leader found for the worker stream (got ${leader})`);
    node.kill9();
    const distinct = () => new Set(jobs().map((d) => d.data)).size;
    try {
      await waitUntil(() => distinct() >= n, timeoutMs, 'all jobs');
    } catch {
      throw new Error(`leader kill: lost ${n - distinct()} of ${n} jobs`);
    }
    const times = jobs().map((d) => d.at).sort((a, b) => a - b);
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    return gap;
  } finally {
    orch?.kill('SIGKILL');
    cleanup(dir);
    await cluster.stop();
  }
}

const sizes = () => ({ n: envNum('BENCH_NATS_LEADER_JOBS', 800), hz: envNum('BENCH_NATS_LEADER_RATE', 100) });

export default {
  id: 'nats-leader-kill',
  roundMs: 30000,
  measurements(ctx) {
    const { n, hz } = sizes();
    noteNats();
    return { ours: { orchestrator: true, ...whenNats(() => leaderKillGap(n, hz, ctx.timeoutMs)) } };
  },
  rows(s) {
    const { n, hz } = sizes();
    // The bound from the design: a new stream leader within 10 s; against "no gap" (0 ms).
    const zero = newSeries(s.ours.unavailable ?? null);
    s.ours.samples.forEach((_, run) => addSample(zero, run, 0));
    return [
      { scenario: `NATS bus: kill -9 of the stream leader on a 3-node cluster (replicas = 3) while ${n} jobs flow at ${hz}/s, zero loss`, unit: 'ms longest gap', ours: s.ours, baseline: { label: 'no gap (0 ms)', series: zero }, target: { kind: 'offset-max', value: 10000, text: '≤ 10 s, nothing lost' }, lowerIsBetter: true },
    ];
  },
};
