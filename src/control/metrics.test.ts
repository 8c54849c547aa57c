import { describe, expect, it } from 'vitest';
import { AckLatency } from '../observe/ack-latency.js';
import type { PodInfo, TaskInfo } from './api-types.js';
import { metricFamilies } from './metrics.js';
import { renderMetrics } from './metrics-text.js';

const pod = (name: string, task: string, over: Partial<PodInfo> = {}): PodInfo => ({
  name, task, index: 0, status: 'running', ready: true, leaving: false, restarts: 0, lastRestartAt: null, createdAt: 0, pid: 1,
  inFlight: 0, delivered: 0, acked: 0, cpu: null, rss: null, stalled: false, stalledSince: null, ...over,
});
const task = (name: string, over: Partial<TaskInfo> = {}): TaskInfo => ({
  name, desired: 1, current: 1, ready: 1, state: 'ready', restart: 'always', mode: 'round_robin', subscribe: [], colors: false,
  queued: 0, inFlight: 0, oldestQueuedAt: null, deadLettered: 0, published: 0, acked: 0, delivered: 0, redelivered: 0, dropped: 0, rejected: 0, discarded: {}, stalled: 0, ...over,
});

describe('metricFamilies', () => {
  it('maps a known run to exact series', () => {
    const latency = new AckLatency();
    latency.observe('w', 3); // 0.003 s: first bucket
    latency.observe('w', 200); // 0.2 s: le 0.25
    latency.observe('w', 60_000); // +Inf
    const text = renderMetrics(
      metricFamilies({
        now: 10_000,
        pods: [pod('w-0', 'w', { restarts: 2, cpu: 12.5, rss: 4096 }), pod('w-1', 'w', { status: 'backoff', pid: null })],
        tasks: [task('w', { queued: 4, oldestQueuedAt: 7_500, inFlight: 1, delivered: 9, acked: 3, redelivered: 1, deadLettered: 2, discarded: { overflow: 5, rejected: 1 } })],
        published: (t) => (t === 'w' ? 6 : 0),
        latency: (t) => latency.of(t),
        rss: 50_000_000,
        loopLag: 0.002,
        watchDropped: 7,
      }),
    );
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples).toEqual([
      'orchestrator_pods{task="w",phase="running"} 1',
      'orchestrator_pods{task="w",phase="backoff"} 1',
      'orchestrator_pod_restarts_total{task="w",pod="w-0"} 2',
      'orchestrator_pod_restarts_total{task="w",pod="w-1"} 0',
      'orchestrator_pod_cpu_ratio{task="w",pod="w-0"} 0.125',
      'orchestrator_pod_resident_memory_bytes{task="w",pod="w-0"} 4096',
      'orchestrator_messages_published_total{task="w"} 6',
      'orchestrator_messages_delivered_total{task="w"} 9',
      'orchestrator_messages_acked_total{task="w"} 3',
      'orchestrator_messages_redelivered_total{task="w"} 1',
      'orchestrator_messages_dead_lettered_total{task="w"} 2',
      'orchestrator_messages_dropped_total{task="w",reason="overflow"} 5',
      'orchestrator_messages_dropped_total{task="w",reason="rejected"} 1',
      'orchestrator_messages_dropped_total{task="w",reason="task-removed"} 0',
      'orchestrator_messages_dropped_total{task="w",reason="pod-gone"} 0',
      'orchestrator_messages_dropped_total{task="w",reason="job-finished"} 0',
      'orchestrator_queue_depth{task="w"} 4',
      'orchestrator_queue_in_flight{task="w"} 1',
      'orchestrator_queue_oldest_age_seconds{task="w"} 2.5',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.005"} 1',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.01"} 1',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.025"} 1',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.05"} 1',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.1"} 1',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.25"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="0.5"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="1"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="2.5"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="5"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="10"} 2',
      'orchestrator_ack_latency_seconds_bucket{task="w",le="+Inf"} 3',
      'orchestrator_ack_latency_seconds_sum{task="w"} 60.203',
      'orchestrator_ack_latency_seconds_count{task="w"} 3',
      'orchestrator_resident_memory_bytes 50000000',
      'orchestrator_event_loop_lag_seconds 0.002',
      'orchestrator_watch_dropped_total 7',
    ]);
    // Every family has HELP and TYPE, and every sample line has the shape Prometheus parses.
    const families = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(text.split('\n').filter((l) => l.startsWith('# HELP ')).map((l) => l.split(' ')[2])).toEqual(families);
    for (const line of samples) expect(line).toMatch(/^orchestrator_[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$/);
  });
});
