/**
 * Keeps the store current: one `GET /v1/watch` per tab (browsers allow six connections per host),
 * reopened when the followed log target changes and, after a failure, with backoff. The stream
 * starts with a snapshot; the logs and events from before it are read once with plain GETs and
 * merged by `seq`, so nothing shows twice.
 */
import { batch } from '@preact/signals';
import { ApiError, type Api } from '../api/client.js';
import type { LogLine, RecordedEvent, WatchLine } from '../api/types.js';
import { appendCapped, EVENT_CAP, LOG_CAP } from '../logic/capped.js';
import { mergeRows } from '../logic/rows.js';
import { mergeBySeq } from '../logic/seq.js';
import type { Selection } from '../logic/route.js';
import * as store from './store.js';

/** Lines of each pod's backlog shown when a view opens (the server keeps `log_buffer` per pod). */
const BACKLOG_TAIL = 500;
const BACKOFF_MS = { first: 500, max: 10_000 } as const;
/** The server sends a heartbeat every 15 s: this much silence means a dead tunnel, so reconnect. */
const SILENCE_MS = 40_000;

export function logTargets(selection: Selection): string[] {
  if (selection.type === 'task') return [selection.task];
  if (selection.type === 'pod') return [selection.pod];
  return ['*'];
}

function targetQuery(targets: readonly string[]): string {
  return targets.filter((t) => t !== '*').map((t) => `target=${encodeURIComponent(t)}`).join('&');
}

export class Live {
  private abort: AbortController | null = null;
  private targets: readonly string[] = ['*'];
  private failures = 0;
  private pendingLogs: LogLine[] = [];
  private frame: number | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private silence: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: Api,
    private readonly onUnauthorized: (error: ApiError) => void,
  ) {}

  /** (Re)opens the stream for these log targets; the log list starts over with their backlog. */
  follow(targets: readonly string[]): void {
    this.targets = targets;
    store.logs.value = [];
    this.pendingLogs = [];
    this.reopen();
  }

  close(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.retry !== null) clearTimeout(this.retry);
    if (this.silence !== null) clearTimeout(this.silence);
  }

  /** Every line proves the stream alive; a stream silent past two heartbeats is reopened. */
  private alive(signal: AbortSignal): void {
    if (this.silence !== null) clearTimeout(this.silence);
    this.silence = setTimeout(() => {
      if (!signal.aborted) this.scheduleRetry(signal);
    }, SILENCE_MS);
  }

  private reopen(): void {
    this.close();
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const query = new URLSearchParams({ events: 'true', stats: 'true' });
    for (const t of this.targets) query.append('logs', t);
    try {
      await this.api.stream(`/v1/watch?${query.toString()}`, (value) => this.onLine(value as WatchLine, signal), signal);
      if (signal.aborted) return;
      this.scheduleRetry(signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) return this.onUnauthorized(error);
      this.scheduleRetry(signal);
    }
  }

  private scheduleRetry(signal: AbortSignal): void {
    if (this.silence !== null) clearTimeout(this.silence);
    if (this.retry !== null) clearTimeout(this.retry);
    store.connection.value = 'reconnecting';
    const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** this.failures);
    this.failures += 1;
    this.retry = setTimeout(() => {
      if (!signal.aborted) this.reopen();
    }, delay);
  }

  private onLine(line: WatchLine, signal: AbortSignal): void {
    this.alive(signal);
    switch (line.type) {
      case 'snapshot':
        this.failures = 0;
        batch(() => {
          store.connection.value = 'live';
          store.status.value = line.status;
          store.tasks.value = [...line.tasks];
          store.pods.value = [...line.pods];
        });
        void this.backlog(signal);
        return;
      case 'changed':
        batch(() => {
          store.tasks.value = mergeRows(store.tasks.value, line.tasks, line.gone.tasks);
          store.pods.value = mergeRows(store.pods.value, line.pods, line.gone.pods);
        });
        return;
      case 'event':
        this.addEvents([line.event]);
        if (line.event.type === 'stopping' && store.status.value !== null) store.status.value = { ...store.status.value, stopping: true };
        return;
      case 'log':
        this.addLog(line.line);
        return;
      case 'lagged':
        store.lagged.value += line.dropped;
        return;
      case 'heartbeat':
        return;
    }
  }

  /** What happened before the stream opened: events after the last one seen, and each pod's tail. */
  private async backlog(signal: AbortSignal): Promise<void> {
    const lastEvent = store.events.value.at(-1)?.seq ?? 0;
    const targets = targetQuery(this.targets);
    try {
      const [events, logs] = await Promise.all([
        this.api.get<{ events: RecordedEvent[] }>(`/v1/events?after=${lastEvent}`),
        this.api.get<{ lines: LogLine[] }>(`/v1/logs?tail=${BACKLOG_TAIL}${targets === '' ? '' : `&${targets}`}`),
      ]);
      if (signal.aborted) return;
      this.addEvents(events.events);
      store.logs.value = appendCapped([], mergeBySeq(store.logs.value, logs.lines), LOG_CAP);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.onUnauthorized(error);
      // A target that vanished (404) just has no backlog; the stream itself goes on.
    }
  }

  private addEvents(added: readonly RecordedEvent[]): void {
    store.events.value = appendCapped([], mergeBySeq(store.events.value, added), EVENT_CAP);
  }

  /** Log lines are appended once per animation frame: a chatty pod costs one render per frame, not per line. */
  private addLog(line: LogLine): void {
    this.pendingLogs.push(line);
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      const added = this.pendingLogs;
      this.pendingLogs = [];
      store.logs.value = appendCapped([], mergeBySeq(store.logs.value, added), LOG_CAP);
    });
  }
}
