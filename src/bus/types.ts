import type { TaskSpec } from '../config/types.js';
import type { Message } from '../protocol/types.js';

/** A pod's stdin as the dispatcher sees it; the runtime implements it around the child process. */
export interface PodEndpoint {
  /** Unique pod name, e.g. "worker-1". */
  readonly name: string;
  readonly task: string;
  /**
   * Writes to the pod's stdin: bytes, or text as UTF-8. The chunk is always accepted; false means
   * the pipe is full: the dispatcher writes nothing more until `podWritable(name)`.
   */
  write(chunk: string | Buffer): boolean;
}

/** The messaging part of a TaskSpec: what the dispatcher needs to know about a task. */
export type DispatchTaskSpec = Pick<
  TaskSpec,
  | 'name'
  | 'subscribe'
  | 'mode'
  | 'stdin'
  | 'concurrency'
  | 'ackTimeoutMs'
  | 'maxDeliveries'
  | 'maxQueue'
  | 'maxQueueBytes'
  | 'overflow'
  | 'replayLatest'
>;

/** Why a queued or published message was discarded without delivery (see DispatcherEvent). */
export type DropReason = 'overflow' | 'task-removed' | 'pod-gone' | 'job-finished' | 'requester-gone';

/**
 * What the runtime must hear about. `pod` is null for messages that were still in the task queue.
 * - `dead-lettered`: delivered `attempts` (= max_deliveries) times without ack; republished on
 *   `<topic>.dead` with the same data. Log it as an error.
 * - `dropped`: removed from a queue without delivery: `overflow` (drop_oldest evicted the head),
 *   `task-removed` (the task left the config), `pod-gone` (a pod-level delivery whose pod exited),
 *   `job-finished` (the task is closed: a job that ended, so nothing will read it; see `closeTask`),
 *   `requester-gone` (a reply whose requester's pod run ended or whose request timed out: `message`
 *   is the reply, `task` the requester's, `pod` the requester pod or null).
 * - `rejected`: overflow = "reject": the new message was not queued.
 * - `undeliverable`: the message cannot be written in the task's stdin format (`payload` with
 *   round_robin takes one line per message; `reason` says why); counted as dead-lettered and
 *   republished on `<topic>.dead` at once, never delivered. The dispatcher warns once per task.
 * - `ack-timeout`: the pod held `message` unanswered for `elapsedMs`; restart the pod (its
 *   `podGone` then hands its messages back). Emitted once per message.
 */
export type DispatcherEvent =
  | { readonly type: 'dead-lettered'; readonly task: string; readonly pod: string | null; readonly message: Message; readonly attempts: number }
  | { readonly type: 'dropped'; readonly task: string; readonly pod: string | null; readonly reason: DropReason; readonly message: Message }
  | { readonly type: 'rejected'; readonly task: string; readonly pod: string | null; readonly message: Message }
  | { readonly type: 'undeliverable'; readonly task: string; readonly message: Message; readonly reason: string }
  | { readonly type: 'ack-timeout'; readonly task: string; readonly pod: string; readonly message: Message; readonly attempt: number; readonly elapsedMs: number };

export interface TaskStats {
  /** Messages waiting in the task queue. */
  readonly queued: number;
  /** Delivered and not yet acknowledged (round_robin only). */
  readonly inFlight: number;
  /** publishedAt of the queue head, null when empty. */
  readonly oldestQueuedAt: number | null;
  /** Messages taken off the task queue and written (a broadcast to 3 pods counts 1). */
  readonly delivered: number;
  readonly acked: number;
  /** Handed back to the queue after podGone / ack timeout. */
  readonly redelivered: number;
  /** Republished on `<topic>.dead`: after max_deliveries, or at once when undeliverable. */
  readonly deadLettered: number;
  /** drop_oldest evictions, messages discarded with the task and those for a closed task. */
  readonly dropped: number;
  readonly rejected: number;
}

export interface PodStats {
  readonly task: string;
  readonly inFlight: number;
  /** Copies written to this pod (task-level and pod-level). */
  readonly delivered: number;
  readonly acked: number;
  /** Pod-level subscription messages waiting for this pod. */
  readonly queued: number;
  /** False while its stdin is full (the last write reported backpressure and it has not drained). */
  readonly writable: boolean;
}

export interface DispatcherStats {
  readonly tasks: Readonly<Record<string, TaskStats>>;
  readonly pods: Readonly<Record<string, PodStats>>;
}
