import type { OverflowPolicy } from '../../config/types.js';
import type { Delivery } from '../transport.js';
import { RingQueue } from './ring-queue.js';

/** Where a queue reports what it discards. Called synchronously, once per discarded entry. */
export interface OverflowSink {
  /** drop_oldest evicted `entry` (the head) to make room. */
  dropped(entry: Delivery): void;
  /** reject refused `entry`; it was never queued. */
  rejected(entry: Delivery): void;
}

/** What an entry weighs against `maxQueueBytes`: characters of topic + data (bytes for ASCII). */
export function entryWeight(entry: Delivery): number {
  const message = entry.parcel.message;
  return message.topic.length + message.data.length;
}

/**
 * A FIFO of queue entries bounded by `maxQueue` entries and `maxQueueBytes` of data (see
 * `entryWeight`), with an overflow policy. "Full" means either bound is reached.
 *
 * Invariants:
 * - `bytes` is the total weight of the queued entries;
 * - an empty queue accepts any one entry, however heavy (else it could never be delivered);
 * - `drop_oldest` / `reject`: after every `offer`, `length <= maxQueue` and
 *   `bytes <= maxQueueBytes` unless the queue holds that single entry.
 * - `block`: `offer` always queues; publishers that can wait ask `refuses` first and keep the
 *   message while it answers true, so for them `length <= maxQueue` and `bytes <= maxQueueBytes`
 *   hold exactly (single heavy entry excepted). Publishers that cannot wait (the orchestrator, the
 *   control API, dead letters) offer directly and may pass the bounds.
 * - `requeueFront` (redelivery) always accepts, even past the bounds: messages already accepted
 *   are never dropped by overflow a second time. They are bounded by the pods' concurrency.
 */
export class TaskQueue {
  private readonly entries = new RingQueue<Delivery>();
  private weight = 0;
  /**
   * Weight of the heaviest message refused since one that heavy was last queued (1 when none):
   * the queue blocks publishers until it has room for it, so a refused heavy message is not
   * woken up again and again by room for small ones.
   */
  private wanted = 1;

  constructor(
    public maxQueue: number,
    public overflow: OverflowPolicy,
    private readonly sink: OverflowSink,
    public maxQueueBytes = Number.POSITIVE_INFINITY,
  ) {}

  get length(): number {
    return this.entries.length;
  }

  /** Total weight of the queued entries (see `entryWeight`). */
  get bytes(): number {
    return this.weight;
  }

  /** True when overflow = "block" and the queue has no room for the last refused weight. */
  get blocksPublishers(): boolean {
    return this.overflow === 'block' && this.noRoomFor(this.wanted);
  }

  /**
   * For a publisher that can wait: true when overflow = "block" and a message of weight `w` would
   * pass a bound; the caller keeps it and asks again once the queue stops blocking publishers.
   */
  refuses(w: number): boolean {
    if (this.overflow !== 'block' || !this.noRoomFor(w)) return false;
    if (w > this.wanted) this.wanted = w;
    return true;
  }

  /** Queues `entry` at the back, applying the overflow policy when full. */
  offer(entry: Delivery): void {
    const w = entryWeight(entry);
    if (this.overflow === 'reject' && this.noRoomFor(w)) {
      this.sink.rejected(entry);
      return;
    }
    if (this.overflow === 'drop_oldest') {
      while (this.noRoomFor(w)) this.sink.dropped(this.take() as Delivery);
    }
    this.entries.push(entry);
    this.weight += w;
    if (w >= this.wanted) this.wanted = 1;
  }

  /** Puts `entries` back at the front in their order (the first becomes the head). */
  requeueFront(entries: readonly Delivery[]): void {
    this.entries.unshiftAll(entries);
    for (const entry of entries) this.weight += entryWeight(entry);
  }

  peek(): Delivery | undefined {
    return this.entries.peek();
  }

  shift(): Delivery | undefined {
    return this.take();
  }

  /** Front first, without removing. */
  [Symbol.iterator](): IterableIterator<Delivery> {
    return this.entries[Symbol.iterator]();
  }

  /** Empties the queue, returning the entries front first. */
  drain(): Delivery[] {
    this.weight = 0;
    return this.entries.drain();
  }

  /** Not empty, and one more entry of weight `w` would pass a bound. */
  private noRoomFor(w: number): boolean {
    const n = this.entries.length;
    return n > 0 && (n >= this.maxQueue || this.weight + w > this.maxQueueBytes);
  }

  private take(): Delivery | undefined {
    const entry = this.entries.shift();
    if (entry !== undefined) this.weight -= entryWeight(entry);
    return entry;
  }
}
