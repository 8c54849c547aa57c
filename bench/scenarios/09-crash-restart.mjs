// A pod crashes (first failure): its exit → the replacement spawned ≤ 50 ms. Exit time is written by
// the crashing pod itself; "spawned" is the replacement's `running` event on system.pods (its `at`).
// Baseline: a minimal supervisor (this process) respawning on 'exit', timed to its 'spawn' event.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanup, envNum, fixture, scratch } from '../lib/harness.mjs';
import { orchestratorPods } from '../lib/pods.mjs';

export default {
  id: 'crash-restart',
  async run(ctx) {
    const n = envNum('BENCH_CRASH_PODS', 10);
    const oursMs = [];
    const raw = [];
    for (let r = 0; r < ctx.runs && ctx.timeLeft() > 8000; r++) {
      oursMs.push(...(await oursRun(n, ctx.timeLeft())));
      raw.push(...(await rawRun(n)));
    }
    return [
      { scenario: `pod crash (first failure) → replacement spawned, ${n} pods × ${ctx.runs} runs`, unit: 'ms', ours: oursMs, baseline: { label: 'minimal supervisor respawn on exit', samples: raw }, target: { kind: 'max', value: 50, text: '≤ 50 ms' }, lowerIsBetter: true },
    ];
  },
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

function rawRun(n) {
  const markers = scratch('rawcrash');
  return new Promise((resolve) => {
    const out = [];
    const children = [];
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
