import type { ApplyResult, DeadLetterInfo, KillResult, LogLine, LogQuery, PodInfo, PublishedMessage, RecordedEvent, ReplyMessage, RestartResult, StatusInfo, TaskInfo, TopicInfo } from './api-types.js';

// The rows stay importable from here too (the e2e harness reads them); api-types.ts defines them.
export type { ApplyResult, PodInfo, PublishedMessage, ReplyMessage, RestartResult, StatusInfo, TaskInfo } from './api-types.js';

/**
 * Everything the control API can ask of a running orchestrator. The HTTP server is a thin shell
 * over it; it holds no HTTP notion. Methods throw OrchestratorErrors with stable codes
 * (TASK_NOT_FOUND, TARGET_NOT_FOUND, INVALID_TOPIC, INVALID_TOPIC_PATTERN, STOPPING, NO_RESPONDERS,
 * REQUEST_TIMEOUT).
 * `wait` = resolve once the pods involved have started / stopped, not just once it is decided.
 */
export interface ControlTarget {
  /** `viaSocket`: asked over the 0600 Unix socket, so `ui.url` may carry the token. */
  status(viaSocket: boolean): StatusInfo;
  /** `usage`: fill cpu / rss from /proc (sampled at most once a second); else they are null. */
  pods(usage?: boolean): PodInfo[];
  tasks(): TaskInfo[];
  /** All tasks are checked before any is scaled. */
  scale(replicas: Readonly<Record<string, number>>, wait: boolean): Promise<Array<{ task: string; from: number; to: number }>>;
  publish(topic: string, data: string): { topic: string };
  subscribe(patterns: readonly string[], listener: (message: PublishedMessage) => void): () => void;
  /** Publishes from the orchestrator and resolves with the one reply; NoRespondersError at once, RequestTimeoutError after `timeoutMs`. */
  request(topic: string, data: string, timeoutMs: number): Promise<ReplyMessage>;
  /** The retained latest message of `topic`; null when there is none. */
  latest(topic: string): Promise<PublishedMessage | null>;
  logs(query: LogQuery): LogLine[];
  followLogs(targets: readonly string[], listener: (line: LogLine) => void): () => void;
  events(after: number): RecordedEvent[];
  followEvents(listener: (event: RecordedEvent) => void): () => void;
  restart(task: string, wait: boolean): Promise<RestartResult>;
  apply(wait: boolean): Promise<ApplyResult>;
  /** Resolves once every pod has stopped. */
  stop(force: boolean): Promise<void>;
  /** Signals one pod (its stop_signal, SIGKILL with force); its controller restarts it. POD_NOT_FOUND, POD_NOT_RUNNING, STOPPING. */
  kill(pod: string, force: boolean): KillResult;
  topics(): { topics: TopicInfo[]; evicted: number };
  /** TASK_NOT_FOUND for a task not configured. */
  deadLetters(task: string): { task: string; dead: DeadLetterInfo[]; evicted: number };
  /** Republishes the task's dead letter `id` (all of them when null) on its topic; returns the ids. DEAD_LETTER_NOT_FOUND. */
  retryDeadLetters(task: string, id: string | null): string[];
  /** Forgets the task's dead letter `id` (all when null); returns how many. DEAD_LETTER_NOT_FOUND. */
  deleteDeadLetters(task: string, id: string | null): number;
  /** The Prometheus text exposition (docs/api.md, Metrics). */
  metrics(): string;
  /** A watch line was dropped for a slow reader (counted for /metrics). */
  watchDropped(n: number): void;
}
