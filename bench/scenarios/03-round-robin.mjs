// round robin, 4 worker pods, 0 ms work, concurrency = 1, 20k jobs acknowledged by `.result` (jobs/s).
import { join } from 'node:path';
import { cleanup, envNum, expectExit, fixture, readResults, run, scratch, task } from '../lib/harness.mjs';
import { cpuPerK, killAll, orchestratorFlow, rate, startReady, verify } from '../lib/flows.mjs';
import { cpuRow, natsMeasurement, throughput } from './01-broadcast.mjs';

export async function oursRoundRobin(n, size, workers, concurrency, timeoutMs) {
  const dir = scratch('rr');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  const toml =
    task('worker', { command: ['node', fixture('worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', concurrency, replicas: workers, restart: 'never', show_stdout: false }) +
    task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false }) +
    task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(workers + 1) } });
  try {
    const { results, cpu } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    verify(results, n, `round robin c=${concurrency}`);
    return { rate: rate(n, results), cpuPerK: cpuPerK(n, results, cpu) };
  } finally {
    cleanup(dir);
  }
}

/** The same jobs through the minimal dispatcher (bench/fixtures/dispatcher.mjs) instead of the orchestrator. */
export async function dispatcherRoundRobin(n, size, workers, concurrency, timeoutMs) {
  const dir = scratch('disp');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set', BENCH_WORKERS: String(workers), BENCH_CONCURRENCY: String(concurrency) };
  try {
    const d = run(process.execPath, [fixture('dispatcher.mjs')], { env, timeoutMs });
    await expectExit(d, 'minimal dispatcher');
    const results = readResults(join(dir, 'out'));
    verify(results, n, `minimal dispatcher c=${concurrency}`);
    return rate(n, results);
  } finally {
    cleanup(dir);
  }
}

/** NATS request/reply work queue: `responders` in queue group "workers", `inflight` requests outstanding. */
export async function natsWorkQueue(url, n, size, responders, inflight, timeoutMs) {
  const dir = scratch('natsrr');
  const env = { BENCH_NATS_URL: url, BENCH_MSGS: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_INFLIGHT: String(inflight) };
  const workers = await startReady(responders, 'nats-responder.mjs', () => env, timeoutMs);
  try {
    const req = run(process.execPath, [fixture('nats-requester.mjs')], { env: { ...env, BENCH_NAME: 'req' }, timeoutMs });
    await expectExit(req, 'nats-requester');
    const results = readResults(join(dir, 'out'));
    verify(results, n, 'NATS request/reply');
    return rate(n, results);
  } finally {
    killAll(workers);
    cleanup(dir);
  }
}

/** NATS queue group of `subs` plain subscribers (no replies): the publish → one-of-N delivery cost. */
export async function natsQueueGroup(url, n, size, subs, timeoutMs) {
  const dir = scratch('natsq');
  const env = { BENCH_NATS_URL: url, BENCH_MSGS: String(n), BENCH_EXPECT: '0', BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_QUEUE: 'workers' };
  const procs = await startReady(subs, 'nats-sub.mjs', (i) => ({ ...env, BENCH_NAME: `sub${i}` }), timeoutMs);
  try {
    const pub = run(process.execPath, [fixture('nats-pub.mjs')], { env: { ...env, BENCH_NAME: 'pub' }, timeoutMs });
    await expectExit(pub, 'nats-pub');
    for (const p of procs) await expectExit(p, 'nats-sub');
    const results = readResults(join(dir, 'out'));
    verify(results, n, 'NATS queue group');
    return rate(n, results);
  } finally {
    killAll(procs);
    cleanup(dir);
  }
}

export const rrSizes = () => ({ n: envNum('BENCH_JOBS', 20000), size: envNum('BENCH_PAYLOAD', 100) });

export default {
  id: 'round-robin',
  roundMs: 8000,
  measurements(ctx) {
    const { n, size } = rrSizes();
    return {
      ours: { orchestrator: true, fn: () => oursRoundRobin(n, size, 4, 1, ctx.timeoutMs) },
      dispatcher: { fn: () => dispatcherRoundRobin(n, size, 4, 1, ctx.timeoutMs) },
      natsReq: natsMeasurement(ctx, (url) => natsWorkQueue(url, n, size, 4, 4, ctx.timeoutMs)),
      natsQueue: natsMeasurement(ctx, (url) => natsQueueGroup(url, n, size, 4, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const scenario = `round robin, 4 workers, concurrency 1, ${rrSizes().n} jobs with .result acks`;
    const ours = throughput(s.ours);
    return [
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'NATS req/reply, 4 responders, 4 in flight', series: s.natsReq }, target: { kind: 'ratio-min', value: 3, text: '≥ 3 × NATS request/reply' } },
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'minimal dispatcher, same pods', series: s.dispatcher }, target: null },
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'NATS queue group of 4 (no replies)', series: s.natsQueue }, target: null },
      cpuRow(scenario, ours.cpu, 'CPU ms per 1k jobs'),
    ];
  },
};
