// fan-out: 1 producer → 8 subscribing tasks (deliveries/s) vs the 1-subscriber msgs/s of the same run.
import { envNum } from '../lib/harness.mjs';
import { oursBroadcast } from './01-broadcast.mjs';

export default {
  id: 'fanout',
  async run(ctx) {
    const n = envNum('BENCH_FANOUT_MSGS', envNum('BENCH_MSGS', 200000));
    const size = envNum('BENCH_PAYLOAD', 100);
    const subs = envNum('BENCH_FANOUT', 8);
    const fan = [];
    const one = [];
    for (let r = 0; r < ctx.runs && ctx.timeLeft() > 12000; r++) {
      fan.push(await oursBroadcast(n, size, subs, ctx.timeLeft()));
      one.push(await oursBroadcast(n, size, 1, ctx.timeLeft()));
    }
    return [
      {
        scenario: `fan-out 1 → ${subs} subscribing tasks, ${size} B × ${n}`,
        unit: 'deliveries/s',
        ours: fan,
        baseline: { label: 'ours, 1 subscriber (msgs/s)', samples: one },
        target: { kind: 'ratio-min', value: 3, text: '≥ 3 × 1-subscriber msgs/s' },
      },
    ];
  },
};
