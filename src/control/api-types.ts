/**
 * The control API's wire contract: the rows and results it sends, and the observe/reload types it
 * sends as they are. The CLI takes wire types from here only.
 */
import type { RecordedEvent } from '../observe/event-log.js';
import type { LogLine, LogQuery } from '../observe/log-store.js';
import type { ReloadSummary } from '../reload/reload.js';

export type { RecordedEvent, LogLine, LogQuery, ReloadSummary };

/** One row of `orchestrator ps`. Times are epoch milliseconds. */
export interface PodInfo {
  readonly name: string;
  readonly task: string;
  readonly index: number;
  /** Pod phase: pending, starting, running, stopping, backoff, succeeded, failed, stopped. */
  readonly status: string;
  /** Receiving messages (running and not being drained). */
  readonly ready: boolean;
  /** Scaled down, replaced or its task removed: draining / stopping, never restarted. */
  readonly leaving: boolean;
  readonly restarts: number;
  readonly lastRestartAt: number | null;
  readonly createdAt: number;
  readonly pid: number | null;
  readonly inFlight: number;
  readonly delivered: number;
  readonly acked: number;
  /** % of one core used by the pod's process group since the previous sample (150 = 1.5 cores); null without /proc or when not sampled. */
  readonly cpu: number | null;
  /** Resident bytes of the pod's process group; null without /proc or when not sampled. */
  readonly rss: number | null;
  /** It has not read its stdin for a while although messages wait for it (see docs/api.md). */
  readonly stalled: boolean;
  /** When that stall began (epoch ms); null when not stalled. */
  readonly stalledSince: number | null;
}

/** One row of `orchestrator tasks`. */
export interface TaskInfo {
  readonly name: string;
  readonly desired: number;
  /** Pods that exist and are not leaving. */
  readonly current: number;
  readonly ready: number;
  /** waiting (depends_on), running, ready (every desired replica ready), completed / failed (jobs), skipped. */
  readonly state: 'waiting' | 'running' | 'ready' | 'completed' | 'failed' | 'skipped';
  /** The restart policy: anything but "always" makes the task a job. */
  readonly restart: string;
  readonly mode: string;
  readonly subscribe: readonly string[];
  /** The task's `colors` setting: whether its pods' colour sequences may reach a colour terminal. */
  readonly colors: boolean;
  readonly queued: number;
  readonly inFlight: number;
  /** publishedAt of the oldest queued message. */
  readonly oldestQueuedAt: number | null;
  readonly deadLettered: number;
  /** Messages its pods published (any topic, replies included). */
  readonly published: number;
  readonly acked: number;
  /** Messages taken off the task queue and written to its pods (a broadcast counts once). */
  readonly delivered: number;
  /** Handed back to the queue (attempt + 1) by a pod that exited or timed out without acking. */
  readonly redelivered: number;
  /** Discarded without delivery: overflow (drop_oldest), task removal, pod-level of a gone pod, job finished. */
  readonly dropped: number;
  /** Refused by overflow = "reject". */
  readonly rejected: number;
  /** `dropped` and `rejected` by reason: overflow, task-removed, pod-gone, job-finished, requester-gone, rejected. Absent reasons are 0. */
  readonly discarded: Readonly<Partial<Record<'overflow' | 'task-removed' | 'pod-gone' | 'job-finished' | 'requester-gone' | 'rejected', number>>>;
  /** Its pods that are stalled (see PodInfo.stalled). */
  readonly stalled: number;
  /**
   * Only for an autoscaled task (`desired` is then the pool's current target): its bounds, and its
   * last step (`from`, `to`, `reason` such as "57 queued", `at` epoch ms), null before the first.
   */
  readonly autoscale?: {
    readonly min: number;
    readonly max: number;
    readonly idleMs: number;
    readonly lastChange: { readonly from: number; readonly to: number; readonly reason: string; readonly at: number } | null;
  };
}

export interface StatusInfo {
  readonly pid: number;
  readonly config: string;
  readonly startedAt: number;
  readonly stopping: boolean;
  /** Where the run's messages wait: this process, or a NATS server shared with other instances. */
  readonly bus: BusInfo;
  /** The dashboard (`run --ui`): over the 0600 socket its URL carries `#token=`; over TCP it does not. Null without --ui. */
  readonly ui: { readonly url: string } | null;
}

/** One topic of `GET /v1/topics` (docs/api.md). */
export interface TopicInfo {
  readonly topic: string;
  /** Task → messages it published on the topic; "" = the orchestrator or the API. */
  readonly publishers: Readonly<Record<string, number>>;
  /**
   * Tasks whose `subscribe` patterns match the topic (`mode`: the task's), then pods that
   * subscribed on their own with `"system.subscribe"` (`mode` "pod", with `pod`).
   */
  readonly subscribers: readonly { readonly task: string; readonly mode: string; readonly pattern: string; readonly pod?: string }[];
  readonly published: number;
  readonly lastAt: number | null;
  /** The last message, `data` cut to 1024 characters when `truncated`. */
  readonly latest: { readonly data: string; readonly from: string | null; readonly at: number; readonly truncated: boolean } | null;
}

/** One dead letter of `GET /v1/tasks/{task}/dead`. */
export interface DeadLetterInfo {
  readonly id: string;
  readonly topic: string;
  readonly data: string;
  /** Deliveries made; 0 = undeliverable in the task's stdin format. */
  readonly attempts: number;
  readonly pod: string | null;
  readonly at: number;
  readonly reason: 'max-deliveries' | 'undeliverable';
}

export interface KillResult {
  readonly pod: string;
  readonly task: string;
  readonly signal: string;
}

/** One line of `GET /v1/watch` (docs/api.md, Watch). */
export type WatchLine =
  | { readonly type: 'snapshot'; readonly status: StatusInfo; readonly tasks: readonly TaskInfo[]; readonly pods: readonly PodInfo[] }
  | { readonly type: 'changed'; readonly tasks: readonly TaskInfo[]; readonly pods: readonly PodInfo[]; readonly gone: { readonly tasks: readonly string[]; readonly pods: readonly string[] } }
  | { readonly type: 'event'; readonly event: RecordedEvent }
  | { readonly type: 'log'; readonly line: LogLine }
  | { readonly type: 'lagged'; readonly dropped: number }
  | { readonly type: 'heartbeat'; readonly at: number };

/** `servers` are redacted (no userinfo). */
export type BusInfo = { readonly kind: 'memory' } | { readonly kind: 'nats'; readonly project: string; readonly instance: string; readonly servers: readonly string[] };

export interface PublishedMessage {
  readonly id: string;
  readonly topic: string;
  readonly data: string;
  /** Publishing pod, null for the orchestrator / API. */
  readonly from: string | null;
  readonly publishedAt: number;
}

/** A reply to `POST /v1/request`: the message on `<topic>.result` that answered it. */
export interface ReplyMessage extends PublishedMessage {
  /** The id of the request it answers. */
  readonly inReplyTo: string;
}

export interface RestartResult {
  readonly task: string;
  readonly replaced: readonly string[];
  readonly superseded: boolean;
}

export type ApplyResult = { readonly ok: true; readonly summary: ReloadSummary } | { readonly ok: false; readonly code: string; readonly message: string; readonly problems: readonly unknown[] };
