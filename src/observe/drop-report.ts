import type { Clock, TimerHandle } from '../util/clock.js';
import { formatCount } from '../util/count.js';
import { formatMs } from './event-log.js';

/** Why messages were discarded: a dispatcher drop reason, or `rejected` (overflow = "reject"). */
export type DiscardReason = 'overflow' | 'rejected' | 'task-removed' | 'pod-gone' | 'job-finished' | 'requester-gone';

/** At most one summary line per task and reason per this interval. */
export const DROP_REPORT_INTERVAL_MS = 1000;

/** One line to log. `count` = discarded since the previous line of the same task and reason. */
export interface DropLine {
  readonly task: string;
  readonly reason: DiscardReason;
  readonly count: number;
  readonly total: number;
  /** Time covered by `count`: since the previous line; null for the first line. */
  readonly sinceMs: number | null;
}

/**
 * Discards come one at a time (possibly hundreds of thousands) but are reported in bulk: for
 * `overflow` and `rejected` the first one is reported at once, then at most one summary line per
 * interval while they go on; the batch reasons (a task removed, a pod gone, a finished job) are
 * reported by `flush` or at the end of an interval, never one line per message. After a quiet
 * interval the next discard is "first" again. Per task and reason it keeps a total for `tasks`.
 */
export class DropReport {
  private readonly tasks = new Map<string, Map<DiscardReason, Tally>>();

  constructor(
    private readonly clock: Clock,
    private readonly log: (line: DropLine) => void,
    private readonly intervalMs = DROP_REPORT_INTERVAL_MS,
  ) {}

  /** One message discarded. O(1), no allocation once the task and reason have been seen. */
  note(task: string, reason: DiscardReason): void {
    const tally = this.tally(task, reason);
    tally.total++;
    tally.pending++;
    if (tally.timer !== null) return;
    if (reason === 'overflow' || reason === 'rejected') this.report(task, reason, tally);
    this.arm(task, reason, tally);
  }

  /** Reports what is pending for the task (every reason, or one) now. */
  flush(task: string, reason?: DiscardReason): void {
    const reasons = this.tasks.get(task);
    if (reasons === undefined) return;
    for (const [r, tally] of reasons) if (reason === undefined || r === reason) this.report(task, r, tally);
  }

  /** Reports everything pending and cancels the timers (the run ends). */
  close(): void {
    for (const [task, reasons] of this.tasks) {
      for (const [reason, tally] of reasons) {
        this.report(task, reason, tally);
        if (tally.timer !== null) this.clock.clearTimeout(tally.timer);
        tally.timer = null;
      }
    }
  }

  /** Discards so far per reason for the task (reasons with none are absent). */
  totals(task: string): Partial<Record<DiscardReason, number>> {
    const out: Partial<Record<DiscardReason, number>> = {};
    for (const [reason, tally] of this.tasks.get(task) ?? []) out[reason] = tally.total;
    return out;
  }

  private tally(task: string, reason: DiscardReason): Tally {
    let reasons = this.tasks.get(task);
    if (reasons === undefined) {
      reasons = new Map();
      this.tasks.set(task, reasons);
    }
    let tally = reasons.get(reason);
    if (tally === undefined) {
      tally = { total: 0, pending: 0, lastAt: null, timer: null };
      reasons.set(reason, tally);
    }
    return tally;
  }

  private arm(task: string, reason: DiscardReason, tally: Tally): void {
    tally.timer = this.clock.setTimeout(() => {
      tally.timer = null;
      if (tally.pending === 0) return; // quiet for a whole interval: the next one is reported at once
      this.report(task, reason, tally);
      this.arm(task, reason, tally);
    }, this.intervalMs);
  }

  private report(task: string, reason: DiscardReason, tally: Tally): void {
    if (tally.pending === 0) return;
    const now = this.clock.now();
    this.log({ task, reason, count: tally.pending, total: tally.total, sinceMs: tally.lastAt === null ? null : now - tally.lastAt });
    tally.pending = 0;
    tally.lastAt = now;
  }
}

interface Tally {
  total: number;
  pending: number;
  /** When the last line was logged. */
  lastAt: number | null;
  timer: TimerHandle | null;
}

/** What the queue settings were, for the reason text: `overflow` and `max_queue`. */
export interface QueueLimits {
  readonly overflow: string;
  readonly maxQueue: number;
}

/**
 * The log sentence, e.g. `worker: dropped 18,342 messages (overflow = "drop_oldest", max_queue 1000)
 * in the last 1s; 186,007 in all`. The first line of a series has no "in the last" part.
 */
export function describeDrops(line: DropLine, limits: QueueLimits | null): string {
  const n = formatCount;
  const verb = line.reason === 'rejected' ? 'rejected' : 'dropped';
  const what = `${n(line.count)} message${line.count === 1 ? '' : 's'}`;
  const since = line.sinceMs === null || line.count === line.total ? '' : ` in the last ${formatMs(line.sinceMs)}; ${n(line.total)} in all`;
  return `${line.task}: ${verb} ${what} (${why(line, limits)})${since}`;
}

function why(line: DropLine, limits: QueueLimits | null): string {
  const queue = limits === null ? 'queue full' : `overflow = "${limits.overflow}", max_queue ${limits.maxQueue}`;
  switch (line.reason) {
    case 'overflow':
    case 'rejected':
      return queue;
    case 'task-removed':
      return 'the task was removed';
    case 'pod-gone':
      return 'pod-level subscription of a pod that is gone';
    case 'job-finished':
      return `${line.task} has finished: nothing will read them`;
    case 'requester-gone':
      return 'replies to a requester that is gone (its pod run ended, or its request timed out)';
  }
}
