// Helpers for the pod-lifecycle scenarios: N pods under the orchestrator (watched through
// system.pods) or under the raw-spawn supervisor, with idle RSS / CPU sampling of the supervisor
// (for ours: the orchestrator plus its watchdog, the whole footprint a user pays).
import { join } from 'node:path';
import { footprint } from './footprint.mjs';
import { cleanup, cpuOf, fixture, memOf, readResults, run, scratch, sleep, task, waitUntil } from './harness.mjs';
import { orchestratorFlow } from './flows.mjs';

/** Per-measurement limit: generous, and never the scenario's remaining budget (a run cut short mid-sample is no sample). */
export const POD_TIMEOUT_MS = 180000;

/**
 * CPU % of a core and RSS (MB) of a supervisor over an idle window. `measure()` gives
 * { rssMb, cpuS } now and throws when the supervisor is gone; `proc` (its run() handle) turns that
 * into an error with its exit status and output.
 */
async function idleSample(proc, what, measure, idleMs) {
  const gone = async () => {
    const exit = await Promise.race([proc.exited, sleep(200).then(() => null)]);
    return new Error(`${what} (pid ${proc.pid}) is gone during the idle window${exit === null ? '' : `: exit ${exit.code ?? exit.signal}${exit.timedOut ? ' (timed out)' : ''}`}\n${proc.tail()}`);
  };
  const safe = async () => {
    try {
      return measure();
    } catch {
      throw await gone();
    }
  };
  await sleep(Math.min(1000, idleMs / 4)); // let start-up work settle
  const a = await safe();
  const t0 = Date.now();
  await sleep(idleMs);
  const b = await safe();
  return { cpuPct: ((b.cpuS - a.cpuS) / ((Date.now() - t0) / 1000)) * 100, rssMb: b.rssMb, watchdogMb: b.watchdogMb ?? 0 };
}

/** `replicas` pods of `command` under the orchestrator; returns { events, idle } (idle: RSS MB, CPU %, of orchestrator + watchdog). */
export async function orchestratorPods(replicas, command, { idleMs = 0, expectRunning = replicas, extraEnv = {}, timeoutMs = POD_TIMEOUT_MS } = {}) {
  const dir = scratch('pods');
  const out = join(dir, 'out');
  const toml =
    task('watcher', { command: ['node', fixture('watcher.mjs')], subscribe: ['system.pods'], restart: 'never', ready: 'signal', env: { BENCH_OUT: out, BENCH_WATCH_TASK: 'pods', BENCH_EXPECT_RUNNING: String(expectRunning) } }) +
    task('pods', { command, replicas, depends_on: { watcher: 'ready' }, restart: 'always', show_stdout: false, show_stderr: false, env: { BENCH_MARKER_DIR: dir, ...extraEnv }, grace_period: '2s' });
  let idle = null;
  try {
    const { results } = await orchestratorFlow(dir, toml, 1, timeoutMs, {
      whileRunning: async (orch) => {
        if (idleMs > 0) idle = await idleSample(orch, 'orchestrator', () => footprint(orch.pid, 'orchestrator'), idleMs);
      },
    });
    return { events: results[0].events, idle, dir };
  } finally {
    cleanup(dir);
  }
}

/** The same pods under the minimal supervisor (bench/fixtures/raw-spawn.mjs). */
export async function rawPods(replicas, command, { idleMs = 0, timeoutMs = POD_TIMEOUT_MS } = {}) {
  const dir = scratch('raw');
  const out = join(dir, 'out');
  const proc = run(process.execPath, [fixture('raw-spawn.mjs'), ...command], { env: { BENCH_OUT: out, BENCH_PODS: String(replicas), BENCH_NAME: 'raw' }, timeoutMs });
  let ended = false;
  void proc.exited.then(() => (ended = true));
  try {
    const found = await waitUntil(() => {
      const results = readResults(out);
      return results.length > 0 ? results : ended ? 'ended' : null;
    }, timeoutMs, 'raw spawn');
    if (found === 'ended') throw new Error(`raw-spawn supervisor exited before all ${replicas} pods spawned\n${proc.tail()}`);
    const measure = () => {
      const m = memOf(proc.pid);
      if (m === null) throw new Error('gone');
      return { rssMb: m.rssKb / 1024, cpuS: cpuOf(proc.pid) ?? 0 };
    };
    const idle = idleMs > 0 ? await idleSample(proc, 'raw-spawn supervisor', measure, idleMs) : null;
    proc.kill('SIGTERM');
    await proc.exited;
    return { startMs: found[0].startMs, idle };
  } finally {
    proc.kill('SIGKILL');
    cleanup(dir);
  }
}

/** ms from the first `starting` to the last `running` event. */
export function startSpan(events) {
  const starting = events.filter((e) => e.event === 'starting').map((e) => e.at);
  const running = events.filter((e) => e.event === 'running').map((e) => e.at);
  return Math.max(...running) - Math.min(...starting);
}
