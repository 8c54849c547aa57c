// Helpers for the pod-lifecycle scenarios: N pods under the orchestrator (watched through
// system.pods) or under the raw-spawn supervisor, with idle RSS / CPU sampling of the supervisor.
import { join } from 'node:path';
import { cleanup, cpuOf, fixture, memOf, readResults, run, scratch, sleep, task, waitUntil } from './harness.mjs';
import { orchestratorFlow } from './flows.mjs';

async function idleSample(pid, idleMs) {
  if (idleMs <= 0) return null;
  await sleep(Math.min(1000, idleMs / 4)); // let start-up work settle
  const c0 = cpuOf(pid);
  const t0 = Date.now();
  await sleep(idleMs);
  const cpu = ((cpuOf(pid) - c0) / ((Date.now() - t0) / 1000)) * 100;
  return { cpuPct: cpu, rssMb: memOf(pid).rssKb / 1024 };
}

/** `replicas` pods of `command` under the orchestrator; returns { events, idle } (idle: RSS MB, CPU %). */
export async function orchestratorPods(replicas, command, { idleMs = 0, expectRunning = replicas, extraEnv = {}, timeoutMs = 60000 } = {}) {
  const dir = scratch('pods');
  const out = join(dir, 'out');
  const toml =
    task('watcher', { command: ['node', fixture('watcher.mjs')], subscribe: ['system.pods'], restart: 'never', env: { BENCH_OUT: out, BENCH_WATCH_TASK: 'pods', BENCH_EXPECT_RUNNING: String(expectRunning) } }) +
    task('pods', { command, replicas, restart: 'always', show_stdout: false, show_stderr: false, env: { BENCH_MARKER_DIR: dir, ...extraEnv }, grace_period: '2s' });
  let idle = null;
  try {
    const { results } = await orchestratorFlow(dir, toml, 1, timeoutMs, {
      whileRunning: async (orch) => {
        idle = await idleSample(orch.pid, idleMs);
      },
    });
    return { events: results[0].events, idle, dir };
  } finally {
    cleanup(dir);
  }
}

/** The same pods under the minimal supervisor (bench/fixtures/raw-spawn.mjs). */
export async function rawPods(replicas, command, { idleMs = 0, timeoutMs = 60000 } = {}) {
  const dir = scratch('raw');
  const out = join(dir, 'out');
  const proc = run(process.execPath, [fixture('raw-spawn.mjs'), ...command], { env: { BENCH_OUT: out, BENCH_PODS: String(replicas), BENCH_NAME: 'raw' }, timeoutMs });
  try {
    const [result] = await waitUntil(() => (readResults(out).length > 0 ? readResults(out) : null), timeoutMs, 'raw spawn');
    const idle = await idleSample(proc.pid, idleMs);
    proc.kill('SIGTERM');
    await proc.exited;
    return { startMs: result.startMs, idle };
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
