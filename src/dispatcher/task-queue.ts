import type { OverflowPolicy } from '../config/types.js';
import type { QueueEntry } from './parcel.js';
import { RingQueue } from './ring-queue.js';

/** Where a queue reports what it discards. Called synchronously, once per discarded entry. */
export interface OverflowSink {
  /** drop_oldest evicted `entry` (the head) to make room. */
  dropped(entry: QueueEntry): void;
  /** reject refused `entry`; it was never queued. */
  rejected(entry: QueueEntry): void;
}

/**
 * A FIFO of queue entries bounded by `maxQueue` with an overflow policy.
 *
 * Invariants:
 * - `drop_oldest` / `reject`: `length <= maxQueue` after every `offer`.
 * - `block`: `offer` always queues; `length` may exceed `maxQueue` by what publishers send before
 *   they are paused (`blocksPublishers` tells the dispatcher to report "no room").
 * - `requeueFront` (redelivery) always accepts, even past `maxQueue`: messages already accepted are
 *   never dropped by overflow a second time. They are bounded by the pods' concurrency.
 */
export class TaskQueue {
  private readonly entries = new RingQueue<QueueEntry>();

  constructor(
    public maxQueue: number,
    public overflow: OverflowPolicy,
    private readonly sink: OverflowSink,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  /** True when the queue is at or over capacity with overflow = "block". */
  get blocksPublishers(): boolean {
    return this.overflow === 'block' && this.entries.length >= this.maxQueue;
  }

  /** Queues `entry` at the back, applying the overflow policy when full. */
  offer(entry: QueueEntry): void {
    if (this.entries.length >= this.maxQueue) {
      if (this.overflow === 'reject') {
        this.sink.rejected(entry);
        return;
      }
      if (this.overflow === 'drop_oldest') {
        while (this.entries.length >= this.maxQueue) this.sink.dropped(this.entries.shift() as QueueEntry);
      }
    }
    this.entries.push(entry);
  }

  /** Puts `entries` back at the front in their order (the first becomes the head). */
  requeueFront(entries: readonly QueueEntry[]): void {
    this.entries.unshiftAll(entries);
  }

  peek(): QueueEntry | undefined {
    return this.entries.peek();
  }

  shift(): QueueEntry | undefined {
    return this.entries.shift();
  }

  /** Front first, without removing. */
  [Symbol.iterator](): IterableIterator<QueueEntry> {
    return this.entries[Symbol.iterator]();
  }

  /** Empties the queue, returning the entries front first. */
  drain(): QueueEntry[] {
    return this.entries.drain();
  }
}
