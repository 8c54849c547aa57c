// 1,000 idle pods (`sleep`) supervised: RSS and idle CPU of the orchestrator plus its watchdog against
// the raw-spawn supervisor, and the RSS each extra pod costs: (RSS at 1,000 − RSS at 50) ÷ 950, ours
// against raw spawn. The 50-pod runs are idle-50's when it ran in this bench, else measured here.
import { idleMeasurements, idleRows } from '../lib/idle.mjs';
import { envNum } from '../lib/harness.mjs';
import { zipSeries } from '../lib/stats.mjs';

const pods = () => envNum('BENCH_IDLE_PODS', 1000);
const small = () => envNum('BENCH_IDLE_SMALL_PODS', 50);

export default {
  id: 'idle-1000',
  roundMs: 30000,
  measurements(ctx) {
    const big = idleMeasurements(ctx, pods());
    const few = idleMeasurements(ctx, small());
    return { ours: big.ours, raw: big.raw, oursSmall: { ...few.ours, from: 'idle-small-ours' }, rawSmall: { ...few.raw, from: 'idle-small-raw' } };
  },
  rows(s) {
    const extra = pods() - small();
    const perPod = (a, b) => zipSeries(a, b, (x, y) => ((x.rssMb - y.rssMb) * 1024) / extra);
    return [
      ...idleRows(pods(), s, null),
      {
        scenario: `RSS per extra idle pod: (${pods()} pods − ${small()} pods) ÷ ${extra}`,
        unit: 'KB per pod',
        ours: perPod(s.ours, s.oursSmall),
        baseline: { label: 'raw-spawn supervisor, same pods', series: perPod(s.raw, s.rawSmall) },
        target: { kind: 'ratio-max', value: 2, text: '≤ 2 × raw spawn' },
        lowerIsBetter: true,
      },
    ];
  },
};
