import { createDeliveryPolicy, type DeliveryPolicy } from './delivery-policy.js';
import type { Delivery, TaskSource } from '../transport.js';
import type { DeliveryPod } from './delivery-pod.js';
import { credit } from './credit.js';
import type { DispatcherStats, DispatchTaskSpec, PodStats, TaskStats } from '../types.js';

/** Monotonic per-task counters (see TaskStats for their meaning). */
export interface TaskCounters {
  delivered: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
  dropped: number;
  rejected: number;
}

/**
 * One subscribing task. Mutated only by TopicDispatcher.
 * `pods` holds the task's ready pods (draining ones included until podGone) in readiness order;
 * the delivery policy chooses among them.
 */
export interface TaskState {
  spec: DispatchTaskSpec;
  policy: DeliveryPolicy;
  /** Where the task's messages wait (the transport's queue). */
  readonly source: TaskSource;
  readonly pods: DeliveryPod[];
  /** Reused output buffer of `policy.select` (per task, so nested pumps of other tasks are safe). */
  readonly recipients: DeliveryPod[];
  /** Re-entrancy guard: a pump triggered while this task pumps is absorbed by the running loop. */
  pumping: boolean;
  /** Closed (a finished job): its queue was emptied and new messages are dropped, not queued. */
  closed: boolean;
  readonly counters: TaskCounters;
  /** Warnings given once per task (keys chosen by the dispatcher). */
  readonly warned: Set<string>;
  /** `credit(this)`, bound once: what `source.want` may ask. */
  readonly slots: () => number;
}

export function createTaskState(spec: DispatchTaskSpec, source: TaskSource): TaskState {
  const task: TaskState = {
    spec,
    policy: createDeliveryPolicy(spec.mode, spec.concurrency),
    source,
    pods: [],
    recipients: [],
    pumping: false,
    closed: false,
    counters: { delivered: 0, acked: 0, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 },
    warned: new Set(),
    slots: () => credit(task),
  };
  return task;
}

/** A snapshot of every task's and pod's numbers. O(tasks + pods); not for the hot path. */
export function collectStats(tasks: ReadonlyMap<string, TaskState>, pods: ReadonlyMap<string, DeliveryPod>): DispatcherStats {
  const inFlightByTask = new Map<string, number>();
  const podStats: Record<string, PodStats> = {};
  for (const [name, pod] of pods) {
    inFlightByTask.set(pod.task, (inFlightByTask.get(pod.task) ?? 0) + pod.held.size);
    podStats[name] = { task: pod.task, inFlight: pod.held.size, delivered: pod.delivered, acked: pod.acked, queued: pod.own.length, writable: pod.writable };
  }
  const taskStats: Record<string, TaskStats> = {};
  for (const [name, task] of tasks) taskStats[name] = statsOf(task, inFlightByTask.get(name) ?? 0);
  return { tasks: taskStats, pods: podStats };
}

function statsOf(task: TaskState, inFlight: number): TaskStats {
  const head: Delivery | undefined = task.source.peek();
  return {
    queued: task.source.queued,
    inFlight,
    oldestQueuedAt: head === undefined ? null : head.parcel.message.publishedAt,
    ...task.counters,
  };
}
