// start 100 idle Node pods until all are running (s) vs the raw-spawn supervisor starting the same pods.
import { envNum, fixture } from '../lib/harness.mjs';
import { orchestratorPods, rawPods, startSpan } from '../lib/pods.mjs';

const pods = () => envNum('BENCH_START_PODS', 100);
const COMMAND = ['node', fixture('idle.mjs')];

export default {
  id: 'start-pods',
  roundMs: 10000,
  measurements: () => ({
    ours: { orchestrator: true, fn: async () => startSpan((await orchestratorPods(pods(), COMMAND)).events) / 1000 },
    raw: { fn: async () => (await rawPods(pods(), COMMAND)).startMs / 1000 },
  }),
  rows: (s) => [
    { scenario: `start ${pods()} idle Node pods until all running`, unit: 's', ours: s.ours, baseline: { label: "raw spawn (all 'spawn' events)", series: s.raw }, target: { kind: 'ratio-max', value: 1.1, text: '≤ 1.1 × raw spawn' }, lowerIsBetter: true },
  ],
};
