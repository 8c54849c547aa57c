// 1,000 idle pods (`sleep`) supervised: orchestrator RSS ≤ 150 MB and ≤ 2 % of a core while idle.
import { envNum } from '../lib/harness.mjs';
import { orchestratorPods, rawPods } from '../lib/pods.mjs';

export async function idleScenario(ctx, n, rssTarget, withCpu) {
  const idleMs = envNum('BENCH_IDLE_MS', 5000);
  const command = ['sleep', '3600'];
  const ours = [];
  const raw = [];
  for (let r = 0; r < ctx.runs && ctx.timeLeft() > idleMs * 2 + 15000; r++) {
    ours.push((await orchestratorPods(n, command, { idleMs, timeoutMs: ctx.timeLeft() })).idle);
    raw.push((await rawPods(n, command, { idleMs, timeoutMs: ctx.timeLeft() })).idle);
  }
  const scenario = `${n} idle pods (sleep) supervised, ${idleMs / 1000} s idle window`;
  const rows = [
    { scenario, unit: 'MB RSS', ours: ours.map((x) => x.rssMb), baseline: { label: 'raw-spawn supervisor', samples: raw.map((x) => x.rssMb) }, target: { kind: 'max', value: rssTarget, text: `≤ ${rssTarget} MB` }, lowerIsBetter: true },
  ];
  if (withCpu) {
    rows.push({ scenario, unit: '% of a core', ours: ours.map((x) => x.cpuPct), baseline: { label: 'raw-spawn supervisor', samples: raw.map((x) => x.cpuPct) }, target: { kind: 'max', value: 2, text: '≤ 2 % of a core' }, lowerIsBetter: true });
  }
  return rows;
}

export default {
  id: 'idle-1000',
  run: (ctx) => idleScenario(ctx, envNum('BENCH_IDLE_PODS', 1000), 150, true),
};
