// 50 pods running, no traffic: orchestrator RSS ≤ 60 MB.
import { envNum } from '../lib/harness.mjs';
import { idleScenario } from './07-idle-1000.mjs';

export default {
  id: 'idle-50',
  run: (ctx) => idleScenario(ctx, envNum('BENCH_IDLE_SMALL_PODS', 50), 60, true),
};
