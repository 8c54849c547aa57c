// The bus on NATS JetStream: round robin through our NATS mode with one and with two orchestrator
// instances (4 worker pods in all, .result acks to a collector pod), against a raw JetStream
// work queue (pipelined publisher, 4 processes pulling with fetch and acking, replies on core NATS
// to one collector): the ceiling for NATS mode. Each measurement starts its own JetStream server.
import { join } from 'node:path';
import { cleanup, envNum, expectExit, fixture, readResults, run, scratch, startOrchestrator, task, waitUntil } from '../lib/harness.mjs';
import { cpuPerK, killAll, orchestratorFlow, rate, startReady, verify } from '../lib/flows.mjs';
import { cpuRow, throughput } from './01-broadcast.mjs';
import { busTable, newProject, noteNats, whenNats } from '../lib/nats-bus.mjs';
import { startJetStream } from '../lib/nats-jetstream.mjs';

function tasksToml(env, { workers, concurrency, collector, producerGo }) {
  let toml = task('worker', { command: ['node', fixture('worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', concurrency, replicas: workers, restart: 'never', show_stdout: false });
  if (collector) {
    toml += task('collector', { command: ['node', fixture('consumer.mjs')], subscribe: ['jobs.result'], restart: 'never', env, show_stdout: false });
    toml += task('producer', { command: ['node', fixture('producer.mjs')], subscribe: ['bench.go'], restart: 'never', env: { ...env, BENCH_WAIT_GO: String(producerGo) } });
  }
  return toml;
}

/** NATS mode, one instance: 4 workers, the collector and the producer in one orchestrator. */
export async function oursNatsOne(n, size, concurrency, timeoutMs) {
  const server = await startJetStream();
  const dir = scratch('natsbus1');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  try {
    const toml = busTable(server.url, 'one') + tasksToml(env, { workers: 4, concurrency, collector: true, producerGo: 5 });
    const { results, cpu } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    verify(results, n, `NATS bus, 1 instance, c=${concurrency}`);
    return { rate: rate(n, results), cpuPerK: cpuPerK(n, results, cpu) };
  } finally {
    cleanup(dir);
    await server.stop();
  }
}

/** NATS mode, two instances of one project: b runs 2 workers, the collector and the producer; a runs 2 workers. */
export async function oursNatsTwo(n, size, concurrency, timeoutMs) {
  const server = await startJetStream();
  const dirA = scratch('natsbus2a');
  const dirB = scratch('natsbus2b');
  const env = { BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dirB, 'out'), BENCH_TOPIC: 'jobs', BENCH_CHECK: 'set' };
  const project = newProject();
  const bus = busTable(server.url, 'b', { project });
  const procs = [];
  try {
    // b first: its producer's subscription to bench.go must be registered before a's workers announce themselves.
    let bUp = false;
    const onLine = (line) => {
      if (/producer-0 started/.test(line)) bUp = true;
    };
    procs.push(startOrchestrator(dirB, bus + tasksToml(env, { workers: 2, concurrency, collector: true, producerGo: 5 }), { timeoutMs, logArgs: ['--log-level', 'info'], onLine }));
    await waitUntil(() => bUp, timeoutMs, 'b started its pods');
    procs.push(startOrchestrator(dirA, busTable(server.url, 'a', { project }) + tasksToml(env, { workers: 2, concurrency, collector: false }), { timeoutMs }));
    const prefix = join(dirB, 'out');
    await waitUntil(() => readResults(prefix).length >= 2, timeoutMs, 'results');
    const results = readResults(prefix);
    verify(results, n, `NATS bus, 2 instances, c=${concurrency}`);
    return rate(n, results);
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    for (const p of procs) await Promise.race([p.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    for (const p of procs) p.kill('SIGKILL');
    cleanup(dirA);
    cleanup(dirB);
    await server.stop();
  }
}

/** Raw JetStream work queue: pipelined publisher, 4 workers fetching `batch` and acking, replies to one core-NATS collector. */
export async function rawJetStream(n, size, batch, timeoutMs) {
  const server = await startJetStream();
  const dir = scratch('rawjs');
  const env = { BENCH_NATS_URL: server.url, BENCH_MSGS: String(n), BENCH_EXPECT: String(n), BENCH_PAYLOAD: String(size), BENCH_OUT: join(dir, 'out'), BENCH_STREAM: 'BENCH', BENCH_DURABLE: 'workers', BENCH_BATCH: String(batch) };
  const procs = [];
  try {
    procs.push(...(await startReady(1, 'js-workqueue-worker.mjs', () => ({ ...env, BENCH_TOPIC: 'bench.jobs' }), timeoutMs)));
    procs.push(...(await startReady(3, 'js-workqueue-worker.mjs', () => ({ ...env, BENCH_TOPIC: 'bench.jobs' }), timeoutMs)));
    // nats-sub in a one-member queue group: counts every reply without the single-publisher order check.
    procs.push(...(await startReady(1, 'nats-sub.mjs', () => ({ ...env, BENCH_TOPIC: 'bench.jobs.result', BENCH_QUEUE: 'collector', BENCH_NAME: 'collector' }), timeoutMs)));
    const pub = run(process.execPath, [fixture('js-workqueue-pub.mjs')], { env: { ...env, BENCH_TOPIC: 'bench.jobs', BENCH_NAME: 'producer' }, timeoutMs });
    await expectExit(pub, 'js-workqueue-pub');
    await waitUntil(() => readResults(join(dir, 'out')).length >= 2, timeoutMs, 'raw JetStream results');
    const results = readResults(join(dir, 'out'));
    verify(results, n, `raw JetStream work queue, fetch ${batch}`);
    return rate(n, results);
  } finally {
    killAll(procs);
    cleanup(dir);
    await server.stop();
  }
}

const sizes = () => ({ n: envNum('BENCH_NATS_JOBS', 5000), size: envNum('BENCH_PAYLOAD', 100) });

export default {
  id: 'nats-bus',
  roundMs: 20000,
  measurements(ctx) {
    const { n, size } = sizes();
    noteNats();
    return {
      ours1: { orchestrator: true, ...whenNats(() => oursNatsOne(n, size, 1, ctx.timeoutMs)) },
      ours2: { orchestrator: true, ...whenNats(() => oursNatsTwo(n, size, 1, ctx.timeoutMs)) },
      raw1: whenNats(() => rawJetStream(n, size, 1, ctx.timeoutMs)),
      ours1c16: { orchestrator: true, ...whenNats(() => oursNatsOne(n, size, 16, ctx.timeoutMs)) },
      raw16: whenNats(() => rawJetStream(n, size, 16, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const { n, size } = sizes();
    const c1 = `NATS bus round robin, 4 workers, concurrency 1, ${n} jobs of ${size} B with .result acks`;
    const c16 = `NATS bus round robin, 4 workers, concurrency 16, ${n} jobs of ${size} B with .result acks`;
    const target = { kind: 'ratio-min', value: 0.7, text: '≥ 0.7 × raw JetStream work queue' };
    const one = throughput(s.ours1);
    const one16 = throughput(s.ours1c16);
    return [
      { scenario: `${c1}, 1 instance`, unit: 'jobs/s', ours: one.rate, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 1', series: s.raw1 }, target },
      { scenario: `${c1}, 2 instances`, unit: 'jobs/s', ours: s.ours2, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 1', series: s.raw1 }, target },
      { scenario: `${c16}, 1 instance`, unit: 'jobs/s', ours: one16.rate, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 16', series: s.raw16 }, target },
      cpuRow(`${c1}, 1 instance`, one.cpu, 'CPU ms per 1k jobs'),
      cpuRow(`${c16}, 1 instance`, one16.cpu, 'CPU ms per 1k jobs'),
    ];
  },
};
