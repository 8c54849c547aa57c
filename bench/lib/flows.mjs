// The three ways one message flow is run: through the orchestrator, through plain pipes (direct or
// via the minimal relay), and through nats-server. Each returns the fixtures' result files.
import { join } from 'node:path';
import { cpuBetween, sampleFootprint } from './footprint.mjs';
import { expectExit, fixture, readResults, run, sampleMemory, startOrchestrator, waitUntil } from './harness.mjs';

/**
 * Runs a tasks.toml until `expectFiles` result files exist under `<dir>/out`, then stops the
 * orchestrator (SIGTERM) unless it finished on its own. Returns { results, peak, cpu }: peak memory
 * (MB) of the orchestrator plus its watchdog, and the orchestrator's CPU samples (every 25 ms unless
 * `sampleMs`) for cpuPerK().
 */
export async function orchestratorFlow(dir, toml, expectFiles, timeoutMs, options = {}) {
  const orch = startOrchestrator(dir, toml, { timeoutMs, logArgs: options.logArgs });
  const mem = sampleFootprint(orch.pid, options.sampleMs ?? 25);
  let ended = false;
  void orch.exited.then(() => (ended = true));
  const prefix = join(dir, 'out');
  try {
    await waitUntil(() => readResults(prefix).length >= expectFiles || ended, timeoutMs, 'results');
    if (options.whileRunning) await options.whileRunning(orch);
    const peak = mem.stop();
    const cpu = peak.cpu;
    const results = readResults(prefix);
    if (results.length < expectFiles) throw new Error(`orchestrator ended with ${results.length}/${expectFiles} result files\n${orch.tail()}`);
    if (options.selfTerminating === true) await Promise.race([orch.exited, new Promise((r) => setTimeout(r, 3000))]);
    if (!ended) orch.kill('SIGTERM');
    const { code, signal } = await orch.exited;
    if (![0, 1, 143].includes(code) && signal !== 'SIGTERM') throw new Error(`orchestrator: exit ${code ?? signal}\n${orch.tail()}`);
    return { results, peak, cpu };
  } finally {
    mem.stop();
    orch.kill('SIGKILL');
  }
}

/**
 * producer | [relay |] consumer over real pipes. The producer waits for the consumer's
 * `"bench.go"` line (relayed by the bench) so Node start-up is not measured.
 */
export async function pipeFlow(dir, env, { relay = false, consumerEnv = {}, timeoutMs = 60000 } = {}) {
  const out = join(dir, 'out');
  let ready = false;
  const consumer = run(process.execPath, [fixture('consumer.mjs')], {
    env: { ...env, ...consumerEnv, BENCH_OUT: out, BENCH_NAME: 'consumer', BENCH_INPUT: relay ? 'framed' : 'lines' },
    onLine: (line) => {
      if (line.startsWith('"bench.go"')) ready = true;
    },
    timeoutMs,
  });
  const procs = [consumer];
  let relayMem = null;
  let sink = consumer.child.stdin;
  if (relay) {
    const r = run(process.execPath, [fixture('relay.mjs')], { stdio: ['pipe', sink, 'pipe'], timeoutMs });
    procs.push(r);
    relayMem = sampleMemory(r.pid, 100);
    sink.destroy();
    sink = r.child.stdin;
  }
  const producer = run(process.execPath, [fixture('producer.mjs')], {
    env: { ...env, BENCH_OUT: out, BENCH_NAME: 'producer', BENCH_WAIT_GO: '1' },
    stdio: ['pipe', sink, 'pipe'],
    timeoutMs,
  });
  procs.push(producer);
  sink.destroy();
  try {
    await waitUntil(() => ready, timeoutMs, 'consumer ready');
    producer.child.stdin.write('bench.go\n');
    await expectExit(consumer, 'consumer');
    await expectExit(producer, 'producer');
    return { results: readResults(out), relayPeak: relayMem?.stop() ?? null };
  } finally {
    relayMem?.stop();
    for (const p of procs) p.kill('SIGKILL');
  }
}

/** Starts fixture processes that print "ready" once subscribed; resolves when all did. */
export async function startReady(count, file, envOf, timeoutMs) {
  const procs = [];
  let ready = 0;
  for (let i = 0; i < count; i++) {
    procs.push(
      run(process.execPath, [fixture(file)], {
        env: envOf(i),
        onLine: (line) => {
          if (line === 'ready') ready++;
        },
        timeoutMs,
      }),
    );
  }
  await waitUntil(() => ready === count, timeoutMs, `${file} ready`);
  return procs;
}

export function killAll(procs) {
  for (const p of procs) p.kill('SIGKILL');
}

/** The measured window (monotonic ns): a producer's t0 to the last consumer's last message. */
export function window(results) {
  const producer = results.find((r) => r.role === 'producer' || r.role === 'requester');
  const consumers = results.filter((r) => r.role === 'consumer');
  let end = producer.t1Ns !== undefined && producer.role === 'requester' ? BigInt(producer.t1Ns) : 0n;
  for (const c of consumers) if (BigInt(c.lastNs) > end) end = BigInt(c.lastNs);
  return { fromNs: BigInt(producer.t0Ns), toNs: end };
}

/** Throughput in msgs/s over window(results). */
export function rate(messages, results) {
  const { fromNs, toNs } = window(results);
  return messages / (Number(toNs - fromNs) / 1e9);
}

/**
 * Orchestrator CPU ms per 1,000 messages over window(results): the work per message, a second A/B
 * view beside the rate (which other load on the machine moves more directly). Not load-free either:
 * a slower pipeline batches less, and fewer messages per read cost more CPU each.
 */
export function cpuPerK(messages, results, cpuSamples) {
  const { fromNs, toNs } = window(results);
  return (cpuBetween(cpuSamples, fromNs, toNs) * 1e6) / messages;
}

/** Throws when a consumer saw an error or fewer messages than expected (a lossy run must fail). */
export function verify(results, expectedTotal, what) {
  const consumers = results.filter((r) => r.role === 'consumer' || r.role === 'requester');
  const total = consumers.reduce((n, c) => n + c.count, 0);
  const bad = consumers.find((c) => c.errors > 0);
  if (bad !== undefined) throw new Error(`${what}: ${bad.errors} errors, first: ${bad.firstError}`);
  if (total !== expectedTotal) throw new Error(`${what}: ${total} messages received, expected ${expectedTotal}`);
}
