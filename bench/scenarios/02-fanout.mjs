// fan-out: 1 producer → 8 subscribing tasks (deliveries/s) vs the 1-subscriber msgs/s of the same run.
import { envNum } from '../lib/harness.mjs';
import { oursBroadcast } from './01-broadcast.mjs';

const sizes = () => ({ n: envNum('BENCH_FANOUT_MSGS', envNum('BENCH_MSGS', 200000)), size: envNum('BENCH_PAYLOAD', 100), subs: envNum('BENCH_FANOUT', 8) });

export default {
  id: 'fanout',
  roundMs: 12000,
  measurements(ctx) {
    const { n, size, subs } = sizes();
    return {
      fan: { orchestrator: true, fn: () => oursBroadcast(n, size, subs, ctx.timeoutMs) },
      one: { orchestrator: true, fn: () => oursBroadcast(n, size, 1, ctx.timeoutMs) },
    };
  },
  rows(s) {
    const { n, size, subs } = sizes();
    return [
      {
        scenario: `fan-out 1 → ${subs} subscribing tasks, ${size} B × ${n}`,
        unit: 'deliveries/s',
        ours: s.fan,
        baseline: { label: 'ours, 1 subscriber (msgs/s)', series: s.one },
        target: { kind: 'ratio-min', value: 4, text: '≥ 4 × 1-subscriber msgs/s' },
      },
    ];
  },
};
