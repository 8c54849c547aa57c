// round robin, 4 worker pods, concurrency = 16, 20k jobs with `.result` acks: ≥ 100,000 jobs/s.
import { envNum } from '../lib/harness.mjs';
import { natsWorkQueue, oursRoundRobin } from './03-round-robin.mjs';

export default {
  id: 'round-robin-c16',
  async run(ctx) {
    const n = envNum('BENCH_JOBS', 20000);
    const size = envNum('BENCH_PAYLOAD', 100);
    const ours = [];
    const nats = [];
    for (let r = 0; r < ctx.runs && ctx.timeLeft() > 8000; r++) {
      ours.push(await oursRoundRobin(n, size, 4, 16, ctx.timeLeft()));
      if (ctx.natsUrl !== null) nats.push(await natsWorkQueue(ctx.natsUrl, n, size, 4, 64, ctx.timeLeft()));
    }
    return [
      {
        scenario: `round robin, 4 workers, concurrency 16, ${n} jobs with .result acks`,
        unit: 'jobs/s',
        ours,
        baseline: { label: 'NATS req/reply, 4 responders, 64 in flight (reference)', samples: nats },
        target: { kind: 'min', value: 100000, text: '≥ 100,000 jobs/s' },
      },
    ];
  },
};
