// start 100 idle Node pods until all are running (s) vs raw child_process.spawn: ≤ 1.2 × raw spawn.
import { envNum, fixture } from '../lib/harness.mjs';
import { orchestratorPods, rawPods, startSpan } from '../lib/pods.mjs';

export default {
  id: 'start-pods',
  async run(ctx) {
    const n = envNum('BENCH_START_PODS', 100);
    const command = ['node', fixture('idle.mjs')];
    const ours = [];
    const raw = [];
    for (let r = 0; r < ctx.runs && ctx.timeLeft() > 10000; r++) {
      const { events } = await orchestratorPods(n, command, { timeoutMs: ctx.timeLeft() });
      ours.push(startSpan(events) / 1000);
      raw.push((await rawPods(n, command, { timeoutMs: ctx.timeLeft() })).startMs / 1000);
    }
    return [
      { scenario: `start ${n} idle Node pods until all running`, unit: 's', ours, baseline: { label: "raw spawn (all 'spawn' events)", samples: raw }, target: { kind: 'ratio-max', value: 1.2, text: '≤ 1.2 × raw spawn' }, lowerIsBetter: true },
    ];
  },
};
