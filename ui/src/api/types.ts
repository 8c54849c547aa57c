/**
 * The wire rows the dashboard reads. Type-only imports from the control API's contract, so a change
 * there fails `npm run typecheck` here; esbuild drops them, so no orchestrator code is bundled.
 */
import type { LogLine, PodInfo, RecordedEvent, StatusInfo, TaskInfo } from '../../../src/control/api-types.js';

export type { LogLine, RecordedEvent, StatusInfo, TaskInfo };

/** A pod row; `cpu` (% of one core) and `rss` (bytes) are null until sampled, absent from older servers. */
export type PodRow = PodInfo & { readonly cpu?: number | null; readonly rss?: number | null };

/** `GET /v1/topics`: one topic seen, who publishes it and which tasks subscribe. */
export interface TopicInfo {
  readonly topic: string;
  /** task → messages published; "" = the orchestrator / API. */
  readonly publishers: Readonly<Record<string, number>>;
  readonly subscribers: readonly { readonly task: string; readonly mode: string; readonly pattern: string }[];
  readonly published: number;
  readonly lastAt: number | null;
  readonly latest: { readonly data: string; readonly from: string | null; readonly at: number; readonly truncated: boolean } | null;
}

/** `GET /v1/tasks/{task}/dead`: a message that used up its deliveries. */
export interface DeadLetter {
  readonly id: string;
  readonly topic: string;
  readonly data: string;
  readonly attempts: number;
  readonly pod: string | null;
  readonly at: number;
  readonly reason: string;
}

/** `GET /v1/watch`: one multiplexed stream per tab. */
export type WatchLine =
  | { readonly type: 'snapshot'; readonly status: StatusInfo; readonly tasks: TaskInfo[]; readonly pods: PodRow[] }
  | { readonly type: 'changed'; readonly tasks: TaskInfo[]; readonly pods: PodRow[]; readonly gone: { readonly tasks: string[]; readonly pods: string[] } }
  | { readonly type: 'event'; readonly event: RecordedEvent }
  | { readonly type: 'log'; readonly line: LogLine }
  | { readonly type: 'lagged'; readonly dropped: number }
  | { readonly type: 'heartbeat'; readonly at: number };
