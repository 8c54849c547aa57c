// fan-out: 1 producer → 8 subscribing tasks (deliveries/s) vs the 1-subscriber msgs/s of the same run.
import { envNum } from '../lib/harness.mjs';
import { cpuRow, oursBroadcast, throughput } from './01-broadcast.mjs';

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
    const scenario = `fan-out 1 → ${subs} subscribing tasks, ${size} B × ${n}`;
    const fan = throughput(s.fan);
    return [
      {
        scenario,
        unit: 'deliveries/s',
        ours: fan.rate,
        baseline: { label: 'ours, 1 subscriber (msgs/s)', series: throughput(s.one).rate },
        target: { kind: 'ratio-min', value: 4, text: '≥ 4 × 1-subscriber msgs/s' },
      },
      cpuRow(scenario, fan.cpu, 'CPU ms per 1k deliveries'),
    ];
  },
};
