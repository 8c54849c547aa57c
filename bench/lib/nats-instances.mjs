// Two orchestrator instances of one project for the NATS failure rows: A holds the jobs, then is
// killed (kill -9) or stopped (SIGTERM); B's pods get them back. Loss is counted exactly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, scratch, startOrchestrator, task, waitUntil } from './harness.mjs';
import { busTable, newProject } from './nats-bus.mjs';

/** The log lines of nats-redelivery-worker.mjs pods. */
export function deliveryLog(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function workerToml(log, { hold, replicas, concurrency }) {
  return task('worker', { command: ['node', fixture('nats-redelivery-worker.mjs')], subscribe: ['jobs'], mode: 'round_robin', stdin: 'json', replicas, concurrency, restart: 'never', show_stdout: false, env: { BENCH_LOG: log, BENCH_HOLD: hold ? '1' : '0' } });
}

/**
 * A (2 pods × concurrency 4) takes all `n` = 8 jobs its producer publishes and holds them; B (2
 * pods) starts once A holds them all; then A's orchestrator gets `signal`. Resolves with the ms
 * from the signal to the last job's redelivery on B; throws naming the exact loss when B has not
 * got every job back within `lease + 10 s`.
 */
export async function handOver(url, signal, { leaseMs = 2000, timeoutMs = 60000 } = {}) {
  const n = 8;
  const project = newProject();
  const lease = `${leaseMs / 1000}s`;
  const dirA = scratch('natsredelA');
  const dirB = scratch('natsredelB');
  const log = join(dirB, 'deliveries.jsonl');
  const procs = [];
  try {
    const producer = task('producer', { command: ['node', fixture('producer.mjs')], restart: 'never', env: { BENCH_MSGS: String(n), BENCH_TOPIC: 'jobs', BENCH_PAYLOAD: '20', BENCH_OUT: join(dirA, 'out') } });
    const a = startOrchestrator(dirA, busTable(url, 'a', { project, lease }) + workerToml(log, { hold: true, replicas: 2, concurrency: 4 }) + producer, { timeoutMs });
    procs.push(a);
    const heldByA = () => deliveryLog(log).filter((d) => d.instance === 'a' && d.data !== undefined).length;
    await waitUntil(() => heldByA() >= n, timeoutMs, `instance a holds all ${n} jobs`);
    const b = startOrchestrator(dirB, busTable(url, 'b', { project, lease }) + workerToml(log, { hold: false, replicas: 2, concurrency: 4 }), { timeoutMs });
    procs.push(b);
    await waitUntil(() => deliveryLog(log).filter((d) => d.instance === 'b' && d.ready !== undefined).length >= 2, timeoutMs, 'instance b has 2 pods');
    if (heldByA() !== n) throw new Error(`instance a got ${heldByA()} deliveries before the ${signal}, expected ${n}`);
    const t0 = Date.now();
    process.kill(a.pid, signal); // the orchestrator alone: its pods are its to stop (or its watchdog's to reap)
    const onB = () => deliveryLog(log).filter((d) => d.instance === 'b' && d.data !== undefined);
    const got = () => new Set(onB().map((d) => d.data)).size;
    try {
      await waitUntil(() => got() >= n, leaseMs + 10000, 'redelivered');
    } catch {
      throw new Error(`${signal}: lost ${n - got()} of ${n} jobs (instance b got ${got()} within lease + 10 s)`);
    }
    const deliveries = onB();
    if (deliveries.some((d) => d.attempt < 2)) throw new Error(`${signal}: a job reached instance b with attempt 1 (it was held by a)`);
    return Math.max(...deliveries.map((d) => d.at)) - t0;
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    cleanup(dirA);
    cleanup(dirB);
  }
}
