// 50 idle pods (`sleep`) supervised: RSS of the orchestrator plus its watchdog against the raw-spawn
// supervisor's, and the CPU both use while idle. Its series are shared with idle-1000 (RSS per pod).
import { idleMeasurements, idleRows } from '../lib/idle.mjs';
import { envNum } from '../lib/harness.mjs';

const pods = () => envNum('BENCH_IDLE_SMALL_PODS', 50);

export default {
  id: 'idle-50',
  roundMs: 15000,
  share: { ours: 'idle-small-ours', raw: 'idle-small-raw' },
  measurements: (ctx) => idleMeasurements(ctx, pods()),
  rows: (s) => idleRows(pods(), s, { kind: 'ratio-max', value: 1.2, text: '≤ 1.2 × raw-spawn supervisor' }),
};
