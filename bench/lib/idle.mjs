// The idle-pods measurements shared by idle-50 and idle-1000: N `sleep` pods under the orchestrator
// (RSS and CPU of the orchestrator plus its watchdog) and under the raw-spawn supervisor.
import { envNum } from './harness.mjs';
import { orchestratorPods, rawPods } from './pods.mjs';
import { mapSeries } from './stats.mjs';

const COMMAND = ['sleep', '3600'];
const idleMs = () => envNum('BENCH_IDLE_MS', 3000);

export function idleMeasurements(_ctx, n) {
  return {
    ours: { orchestrator: true, fn: async () => (await orchestratorPods(n, COMMAND, { idleMs: idleMs() })).idle },
    raw: { fn: async () => (await rawPods(n, COMMAND, { idleMs: idleMs() })).idle },
  };
}

/** RSS (with `rssTarget`) and idle CPU (info: the raw supervisor's is ~0, so no ratio says much). */
export function idleRows(n, s, rssTarget) {
  const scenario = `${n} idle pods (sleep) supervised, ${idleMs() / 1000} s idle window; ours = orchestrator + watchdog`;
  const baseline = (f) => ({ label: 'raw-spawn supervisor', series: mapSeries(s.raw, f) });
  return [
    { scenario, unit: 'MB RSS', ours: mapSeries(s.ours, (x) => x.rssMb), baseline: baseline((x) => x.rssMb), target: rssTarget, lowerIsBetter: true },
    { scenario, unit: '% of a core', ours: mapSeries(s.ours, (x) => x.cpuPct), baseline: baseline((x) => x.cpuPct), target: null, lowerIsBetter: true },
  ];
}
