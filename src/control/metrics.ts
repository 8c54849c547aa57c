import { ACK_LATENCY_BUCKETS, type LatencyHistogram } from '../observe/ack-latency.js';
import type { PodInfo, TaskInfo } from './api-types.js';
import type { MetricFamily, Sample } from './metrics-text.js';

/** What one scrape reads. */
export interface MetricsInput {
  readonly now: number;
  /** With cpu / rss sampled. */
  readonly pods: readonly PodInfo[];
  readonly tasks: readonly TaskInfo[];
  readonly published: (task: string) => number;
  readonly latency: (task: string) => LatencyHistogram | undefined;
  /** The orchestrator's own RSS in bytes. */
  readonly rss: number;
  /** p99 event-loop delay since the previous scrape, seconds. */
  readonly loopLag: number;
  readonly watchDropped: number;
}

const PHASES = ['pending', 'starting', 'running', 'stopping', 'backoff', 'succeeded', 'failed', 'stopped'] as const;
const DROP_REASONS = ['overflow', 'rejected', 'task-removed', 'pod-gone', 'job-finished'] as const;

/** The run's metrics families (docs/api.md, Metrics), in a fixed order. Pure. */
export function metricFamilies(input: MetricsInput): MetricFamily[] {
  const { pods, tasks } = input;
  const perTask = (pick: (t: TaskInfo) => number): Sample[] => tasks.map((t) => ({ labels: { task: t.name }, value: pick(t) }));
  const byPod = (pick: (p: PodInfo) => number | null): Sample[] =>
    pods.flatMap((p) => {
      const value = pick(p);
      return value === null ? [] : [{ labels: { task: p.task, pod: p.name }, value }];
    });
  const phases: Sample[] = [];
  for (const t of tasks) {
    for (const phase of PHASES) {
      const n = pods.filter((p) => p.task === t.name && p.status === phase).length;
      if (n > 0) phases.push({ labels: { task: t.name, phase }, value: n });
    }
  }
  const dropped: Sample[] = tasks.flatMap((t) => DROP_REASONS.map((reason) => ({ labels: { task: t.name, reason }, value: t.discarded[reason] ?? 0 })));
  return [
    { name: 'orchestrator_pods', help: 'Pods per task and phase.', type: 'gauge', samples: phases },
    { name: 'orchestrator_pod_restarts_total', help: 'Restarts of each replica slot.', type: 'counter', samples: byPod((p) => p.restarts) },
    { name: 'orchestrator_pod_cpu_ratio', help: "Cores used by the pod's process group since the previous sample (1 = one core).", type: 'gauge', samples: byPod((p) => (p.cpu === null ? null : Math.round(p.cpu * 10) / 1000)) },
    { name: 'orchestrator_pod_resident_memory_bytes', help: "Resident memory of the pod's process group.", type: 'gauge', samples: byPod((p) => p.rss) },
    { name: 'orchestrator_messages_published_total', help: "Messages published by the task's pods.", type: 'counter', samples: perTask((t) => input.published(t.name)) },
    { name: 'orchestrator_messages_delivered_total', help: 'Messages taken off the task queue and written to its pods.', type: 'counter', samples: perTask((t) => t.delivered) },
    { name: 'orchestrator_messages_acked_total', help: 'Messages acknowledged with .result.', type: 'counter', samples: perTask((t) => t.acked) },
    { name: 'orchestrator_messages_redelivered_total', help: 'Messages handed back after a pod exit or ack timeout.', type: 'counter', samples: perTask((t) => t.redelivered) },
    { name: 'orchestrator_messages_dead_lettered_total', help: 'Messages republished on <topic>.dead.', type: 'counter', samples: perTask((t) => t.deadLettered) },
    { name: 'orchestrator_messages_dropped_total', help: 'Messages discarded without delivery, by reason.', type: 'counter', samples: dropped },
    { name: 'orchestrator_queue_depth', help: 'Messages waiting in the task queue.', type: 'gauge', samples: perTask((t) => t.queued) },
    { name: 'orchestrator_queue_in_flight', help: 'Messages delivered and not yet acknowledged.', type: 'gauge', samples: perTask((t) => t.inFlight) },
    {
      name: 'orchestrator_queue_oldest_age_seconds',
      help: 'Age of the oldest queued message (0 when the queue is empty).',
      type: 'gauge',
      samples: perTask((t) => (t.oldestQueuedAt === null ? 0 : Math.max(0, input.now - t.oldestQueuedAt) / 1000)),
    },
    { name: 'orchestrator_ack_latency_seconds', help: 'Time from publish to .result acknowledgement.', type: 'histogram', samples: tasks.flatMap((t) => histogramSamples(t.name, input.latency(t.name))) },
    { name: 'orchestrator_resident_memory_bytes', help: "The orchestrator's resident memory.", type: 'gauge', samples: [{ value: input.rss }] },
    { name: 'orchestrator_event_loop_lag_seconds', help: "The orchestrator's event-loop delay, p99 since the previous scrape.", type: 'gauge', samples: [{ value: input.loopLag }] },
    { name: 'orchestrator_watch_dropped_total', help: 'Watch stream lines dropped because their reader was too slow.', type: 'counter', samples: [{ value: input.watchDropped }] },
  ];
}

function histogramSamples(task: string, h: LatencyHistogram | undefined): Sample[] {
  const counts = h?.counts ?? [];
  const out: Sample[] = [];
  let cumulative = 0;
  ACK_LATENCY_BUCKETS.forEach((le, i) => {
    cumulative += counts[i] ?? 0;
    out.push({ suffix: '_bucket', labels: { task, le: String(le) }, value: cumulative });
  });
  out.push({ suffix: '_bucket', labels: { task, le: '+Inf' }, value: h?.count ?? 0 });
  out.push({ suffix: '_sum', labels: { task }, value: round9(h?.sumSeconds ?? 0) });
  out.push({ suffix: '_count', labels: { task }, value: h?.count ?? 0 });
  return out;
}

/** Sums of many float seconds collect noise digits; nanoseconds are plenty. */
function round9(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
