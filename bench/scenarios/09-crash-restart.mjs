// A pod crashes (first failure): its exit → the replacement spawned, against a minimal supervisor.
// Exit time is written by the crashing pod itself; "spawned" is the replacement's `running` event on system.pods (its `at`).
// Baseline: a minimal supervisor (this process) respawning on 'exit', timed to its 'spawn' event.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanup, envNum, fixture, scratch } from '../lib/harness.mjs';
import { orchestratorPods, POD_TIMEOUT_MS } from '../lib/pods.mjs';
import { stats } from '../lib/stats.mjs';

const pods = () => envNum('BENCH_CRASH_PODS', 10);

export default {
  id: 'crash-restart',
  roundMs: 8000,
  measurements: () => ({
    ours: { orchestrator: true, fn: async () => stats(await oursRun(pods(), POD_TIMEOUT_MS)).median },
    raw: { fn: async () => stats(await rawRun(pods())).median },
  }),
  rows: (s) => [
    { scenario: `pod crash (first failure) → replacement spawned; each run: median of ${pods()} pods`, unit: 'ms', ours: s.ours, baseline: { label: 'minimal supervisor respawn on exit', series: s.raw }, target: { kind: 'ratio-max', value: 1.5, text: '≤ 1.5 × minimal respawn' }, lowerIsBetter: true },
  ],
};

async function oursRun(n, timeoutMs) {
  const markers = scratch('crash');
  try {
    const { events } = await orchestratorPods(n, ['node', fixture('crasher.mjs')], { expectRunning: 2 * n, timeoutMs, extraEnv: { BENCH_CRASH_AFTER_MS: '300', BENCH_MARKER_DIR: markers } });
    const out = [];
    for (let i = 0; i < n; i++) {
      const pod = `pods-${i}`;
      const exitAt = Number(readFileSync(join(markers, `${pod}.exit`), 'utf8'));
      const running = events.filter((e) => e.pod === pod && e.event === 'running').map((e) => e.at);
      if (running.length < 2) throw new Error(`${pod}: no replacement seen`);
      out.push(running[1] - exitAt);
    }
    return out;
  } finally {
    cleanup(markers);
  }
}

function rawRun(n, timeoutMs = 30000) {
  const markers = scratch('rawcrash');
  return new Promise((resolve, reject) => {
    const out = [];
    const children = [];
    const timer = setTimeout(() => {
      for (const c of children) c.kill('SIGKILL');
      cleanup(markers);
      reject(new Error(`minimal supervisor: ${out.length}/${n} replacements within ${timeoutMs} ms`));
    }, timeoutMs);
    const start = (i, first) => {
      const child = spawn('node', [fixture('crasher.mjs')], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, BENCH_MARKER_DIR: markers, BENCH_NAME: `raw-${i}`, BENCH_INDEX: String(i), BENCH_CRASH_AFTER_MS: '300' } });
      child.stdout.on('data', () => {});
      child.stderr.on('data', () => {});
      children.push(child);
      if (first) {
        child.once('exit', () => start(i, false));
      } else {
        child.once('spawn', () => {
          out.push(performance.timeOrigin + performance.now() - Number(readFileSync(join(markers, `raw-${i}.exit`), 'utf8')));
          if (out.length === n) {
            clearTimeout(timer);
            for (const c of children) c.kill('SIGKILL');
            cleanup(markers);
            resolve(out);
          }
        });
      }
    };
    for (let i = 0; i < n; i++) start(i, true);
  });
}
