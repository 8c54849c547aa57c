import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PodInfo, TaskInfo, WatchLine } from './api-types.js';
import type { ControlTarget } from './target.js';
import { RowDiffer, WatchOutbox, type OutboxLimits } from './watch-core.js';

export interface WatchOptions {
  /** Log targets to follow: tasks or pods; empty = no logs; `*` = every pod. */
  readonly logs: readonly string[];
  readonly events: boolean;
  /** Fill pods' cpu / rss. */
  readonly stats: boolean;
  /** Viewed over the Unix socket (the status row may then carry the token). */
  readonly viaSocket: boolean;
}

/** Row changes are coalesced to one `changed` line per this interval at most. */
export const WATCH_TICK_MS = 1000;
/** A heartbeat every this many ticks, so a client notices a dead tunnel. */
export const HEARTBEAT_TICKS = 15;

/**
 * `GET /v1/watch`: one long NDJSON answer with a snapshot, then row changes (at most one line per
 * tick), events and log lines as they happen, and heartbeats (docs/api.md, Watch). Everything
 * stops when the client goes: nothing is computed for a watch that no longer exists.
 */
export function serveWatch(req: IncomingMessage, res: ServerResponse, target: ControlTarget, options: WatchOptions, limits?: OutboxLimits): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  res.flushHeaders();
  const outbox = new WatchOutbox(
    {
      buffered: () => res.writableLength,
      write: (text) => {
        if (!res.destroyed && !res.writableEnded) res.write(text);
      },
      destroy: () => res.destroy(),
    },
    (n) => target.watchDropped(n),
    limits,
  );
  const pods = new RowDiffer<PodInfo>((p) => p.name);
  const tasks = new RowDiffer<TaskInfo>((t) => t.name);
  // cpu changes every sample; without stats it is null and a pod row changes only with its state.
  const podRows = (): PodInfo[] => target.pods(options.stats);
  const first: WatchLine = { type: 'snapshot', status: target.status(options.viaSocket), tasks: tasks.diff(target.tasks()).changed, pods: pods.diff(podRows()).changed };
  outbox.essential(first);
  const stops: Array<() => void> = [];
  if (options.events) stops.push(target.followEvents((event) => outbox.droppable({ type: 'event', event } satisfies WatchLine)));
  if (options.logs.length > 0) {
    const targets = options.logs.includes('*') ? [] : options.logs;
    stops.push(target.followLogs(targets, (line) => outbox.droppable({ type: 'log', line } satisfies WatchLine)));
  }
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (ticks % HEARTBEAT_TICKS === 0) outbox.essential({ type: 'heartbeat', at: Date.now() } satisfies WatchLine);
    if (outbox.lagging) return; // rows are state: the next diff after it caught up carries them
    const t = tasks.diff(target.tasks());
    const p = pods.diff(podRows());
    if (t.changed.length + t.gone.length + p.changed.length + p.gone.length === 0) return;
    outbox.essential({ type: 'changed', tasks: t.changed, pods: p.changed, gone: { tasks: t.gone, pods: p.gone } } satisfies WatchLine);
  }, WATCH_TICK_MS);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    for (const stop of stops) stop();
  };
  req.once('close', end);
  res.once('close', end);
}
