// The bus on NATS JetStream: round robin through our NATS mode with one and with two orchestrator
// instances (4 worker pods in all, .result acks to a collector pod), against a raw JetStream
// work queue (pipelined publisher, 4 processes pulling with fetch and acking, replies on core NATS
// to one collector): the ceiling for NATS mode. Each measurement starts its own JetStream server.
import { join } from 'node:path';
import { cleanup, envNum, expectExit, fixture, natsAvailable, readResults, run, scratch, startOrchestrator, task, waitUntil } from '../lib/harness.mjs';
import { killAll, orchestratorFlow, rate, startReady, verify } from '../lib/flows.mjs';
import { startJetStream } from '../lib/nats-jetstream.mjs';

const NO_NATS = 'nats-server not found on PATH or in /usr/sbin: NATS bus rows skipped (apt-get install nats-server)';
let projects = 0;

function busTable(url, instance) {
  projects += 1;
  return `[bus]\nurl = "${url}"\nproject = "bench${process.pid}x${projects}"\ninstance = "${instance}"\nstorage = "memory"\nlease = "30s"\n\n`;
}

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
    const { results } = await orchestratorFlow(dir, toml, 2, timeoutMs);
    verify(results, n, `NATS bus, 1 instance, c=${concurrency}`);
    return rate(n, results);
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
  const bus = busTable(server.url, 'b');
  const procs = [];
  try {
    // b first: its producer's subscription to bench.go must be registered before a's workers announce themselves.
    let bUp = false;
    const onLine = (line) => {
      if (/producer-0 started/.test(line)) bUp = true;
    };
    procs.push(startOrchestrator(dirB, bus + tasksToml(env, { workers: 2, concurrency, collector: true, producerGo: 5 }), { timeoutMs, logArgs: ['--log-level', 'info'], onLine }));
    await waitUntil(() => bUp, timeoutMs, 'b started its pods');
    procs.push(startOrchestrator(dirA, bus.replace('instance = "b"', 'instance = "a"') + tasksToml(env, { workers: 2, concurrency, collector: false }), { timeoutMs }));
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
const available = (fn) => (natsAvailable() === null ? { unavailable: NO_NATS } : { fn });

export default {
  id: 'nats-bus',
  roundMs: 20000,
  measurements(ctx) {
    const { n, size } = sizes();
    if (natsAvailable() === null) process.stderr.write(`${NO_NATS}\n`);
    return {
      ours1: { orchestrator: true, ...available(() => oursNatsOne(n, size, 1, ctx.timeoutMs)) },
      ours2: { orchestrator: true, ...available(() => oursNatsTwo(n, size, 1, ctx.timeoutMs)) },
      raw1: available(() => rawJetStream(n, size, 1, ctx.timeoutMs)),
      ours1c16: { orchestrator: true, ...available(() => oursNatsOne(n, size, 16, ctx.timeoutMs)) },
      raw16: available(() => rawJetStream(n, size, 16, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const { n, size } = sizes();
    const c1 = `NATS bus round robin, 4 workers, concurrency 1, ${n} jobs of ${size} B with .result acks`;
    const c16 = `NATS bus round robin, 4 workers, concurrency 16, ${n} jobs of ${size} B with .result acks`;
    const target = { kind: 'ratio-min', value: 0.7, text: '≥ 0.7 × raw JetStream work queue' };
    return [
      { scenario: `${c1}, 1 instance`, unit: 'jobs/s', ours: s.ours1, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 1', series: s.raw1 }, target },
      { scenario: `${c1}, 2 instances`, unit: 'jobs/s', ours: s.ours2, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 1', series: s.raw1 }, target },
      { scenario: `${c16}, 1 instance`, unit: 'jobs/s', ours: s.ours1c16, baseline: { label: 'raw JetStream work queue, 4 pullers, fetch 16', series: s.raw16 }, target },
    ];
  },
};
