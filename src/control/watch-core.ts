/**
 * The pure parts of the watch stream: which rows changed since what this stream sent last, and
 * an outbox that keeps a slow reader from growing our memory. No timers, no sockets.
 */

/** Remembers the JSON of each row last sent; `diff` returns what differs and what is gone, and remembers it. */
export class RowDiffer<T> {
  private sent = new Map<string, string>();

  constructor(private readonly keyOf: (row: T) => string) {}

  /** The rows to send now (all of them the first time) and the keys that disappeared. */
  diff(rows: readonly T[]): { changed: T[]; gone: string[] } {
    const next = new Map<string, string>();
    const changed: T[] = [];
    for (const row of rows) {
      const key = this.keyOf(row);
      const json = JSON.stringify(row);
      next.set(key, json);
      if (this.sent.get(key) !== json) changed.push(row);
    }
    const gone = [...this.sent.keys()].filter((key) => !next.has(key));
    this.sent = next;
    return { changed, gone };
  }
}

/** Where the outbox writes: a response's socket buffer as the outbox sees it. */
export interface OutboxSink {
  /** Bytes written but not yet taken by the kernel. */
  buffered(): number;
  write(text: string): void;
  /** Cut the reader off (it will reconnect to a fresh snapshot). */
  destroy(): void;
}

export interface OutboxLimits {
  /** Above this many buffered bytes, droppable lines (logs, events) are dropped. */
  readonly dropAbove: number;
  /** Dropping ends once the buffer is below this (a `lagged` line is sent first). */
  readonly resumeBelow: number;
  /** Above this, even rows and heartbeats cannot be queued: the reader is cut off. */
  readonly cutAbove: number;
}

export const OUTBOX_LIMITS: OutboxLimits = { dropAbove: 1024 * 1024, resumeBelow: 256 * 1024, cutAbove: 8 * 1024 * 1024 };

/**
 * Backpressure for one watch stream. Log and event lines are droppable: while the reader lags
 * (more than `dropAbove` waits) they are counted and dropped, and once it caught up (below
 * `resumeBelow`) a `{"type":"lagged","dropped":N}` line says how many. Rows are state, not
 * history: while lagging the caller skips them (`lagging`) and the next diff catches up. So the
 * memory held for one reader is bounded by `cutAbove` plus one line.
 */
export class WatchOutbox {
  private dropped = 0;
  private lag = false;
  private cut = false;

  constructor(
    private readonly sink: OutboxSink,
    private readonly onDrop: (n: number) => void,
    private readonly limits: OutboxLimits = OUTBOX_LIMITS,
  ) {}

  /** True while droppable lines are being dropped (rows wait for the reader too). */
  get lagging(): boolean {
    this.recover();
    return this.lag;
  }

  /** A log or event line: dropped (and counted) while the reader lags. */
  droppable(value: unknown): void {
    if (this.cut) return;
    this.recover();
    if (this.lag || this.sink.buffered() > this.limits.dropAbove) {
      this.lag = true;
      this.dropped++;
      this.onDrop(1);
      return;
    }
    this.sink.write(`${JSON.stringify(value)}\n`);
  }

  /** A snapshot, rows or a heartbeat: always queued, unless the reader is hopelessly behind. */
  essential(value: unknown): void {
    if (this.cut) return;
    if (this.sink.buffered() > this.limits.cutAbove) {
      this.cut = true;
      this.sink.destroy();
      return;
    }
    this.sink.write(`${JSON.stringify(value)}\n`);
  }

  private recover(): void {
    if (!this.lag || this.sink.buffered() >= this.limits.resumeBelow) return;
    this.lag = false;
    const dropped = this.dropped;
    this.dropped = 0;
    this.essential({ type: 'lagged', dropped });
  }
}
