// round robin, 4 worker pods, concurrency = 16, 20k jobs with `.result` acks (jobs/s), against a NATS
// queue group of 4 (publish → one of 4, no replies) measured in the same run.
import { cpuRow, natsMeasurement, throughput } from './01-broadcast.mjs';
import { dispatcherRoundRobin, natsQueueGroup, natsWorkQueue, oursRoundRobin, rrSizes } from './03-round-robin.mjs';

export default {
  id: 'round-robin-c16',
  roundMs: 8000,
  measurements(ctx) {
    const { n, size } = rrSizes();
    return {
      ours: { orchestrator: true, fn: () => oursRoundRobin(n, size, 4, 16, ctx.timeoutMs) },
      dispatcher: { fn: () => dispatcherRoundRobin(n, size, 4, 16, ctx.timeoutMs) },
      natsQueue: natsMeasurement(ctx, (url) => natsQueueGroup(url, n, size, 4, ctx.timeoutMs)),
      natsReq: natsMeasurement(ctx, (url) => natsWorkQueue(url, n, size, 4, 64, ctx.timeoutMs)),
    };
  },
  rows(s) {
    const scenario = `round robin, 4 workers, concurrency 16, ${rrSizes().n} jobs with .result acks`;
    const ours = throughput(s.ours);
    return [
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'NATS queue group of 4 (no replies)', series: s.natsQueue }, target: { kind: 'ratio-min', value: 0.8, text: '≥ 0.8 × NATS queue group' } },
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'minimal dispatcher, same pods', series: s.dispatcher }, target: null },
      { scenario, unit: 'jobs/s', ours: ours.rate, baseline: { label: 'NATS req/reply, 4 responders, 64 in flight', series: s.natsReq }, target: null },
      cpuRow(scenario, ours.cpu, 'CPU ms per 1k jobs'),
    ];
  },
};
