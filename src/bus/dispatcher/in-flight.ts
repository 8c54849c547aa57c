import type { Delivery } from '../transport.js';
import type { Clock, TimerHandle } from '../../util/clock.js';

/**
 * The unacknowledged messages one pod holds (round_robin), oldest delivery first, and its single
 * ack-timeout timer.
 *
 * Invariants:
 * - at most one timer per pod, armed while some held entry has not timed out yet; it is never
 *   re-armed per message: an ack leaves it running and, when it fires, it re-arms itself for the
 *   oldest entry still pending (or stops when there is none);
 * - `onTimeout` is called once per delivery that stays unacknowledged for `timeoutMs`; the entry
 *   stays held (the runtime restarts the pod, and `takeAll` hands it back).
 */
export class InFlight {
  private readonly entries: Delivery[] = [];
  private timer: TimerHandle | null = null;

  constructor(
    private readonly timers: Clock,
    private timeoutMs: number | null,
    private readonly onTimeout: (entry: Delivery, elapsedMs: number) => void,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  add(entry: Delivery): void {
    entry.timedOut = false;
    entry.deliveredAt = this.timeoutMs === null ? 0 : this.timers.now();
    this.entries.push(entry);
    if (this.timeoutMs !== null && this.timer === null) this.arm(this.timeoutMs);
  }

  /** Acknowledges the OLDEST held entry of `topic`; undefined when none is held. */
  ack(topic: string): Delivery | undefined {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Delivery;
      if (entry.parcel.message.topic === topic) {
        if (i === 0) entries.shift();
        else entries.splice(i, 1);
        return entry;
      }
    }
    return undefined;
  }

  /**
   * Acknowledges the held entry whose message has id `id` and topic `topic`; undefined when the
   * pod holds no such entry (an ack by id never falls back to another message).
   */
  ackId(id: string, topic: string): Delivery | undefined {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const message = (entries[i] as Delivery).parcel.message;
      if (message.id === id) {
        if (message.topic !== topic) return undefined;
        return entries.splice(i, 1)[0];
      }
    }
    return undefined;
  }

  /** Removes and returns every held entry, oldest first, and stops the timer. */
  takeAll(): Delivery[] {
    this.stopTimer();
    return this.entries.splice(0);
  }

  /** Changes the timeout for later checks (live reload); null turns it off. */
  setTimeoutMs(timeoutMs: number | null): void {
    if (timeoutMs === this.timeoutMs) return;
    this.timeoutMs = timeoutMs;
    this.stopTimer();
    const now = this.timers.now();
    for (const entry of this.entries) if (entry.deliveredAt === 0) entry.deliveredAt = now;
    this.rearm(now);
  }

  dispose(): void {
    this.stopTimer();
  }

  private readonly fire = (): void => {
    this.timer = null;
    if (this.timeoutMs === null) return;
    const now = this.timers.now();
    for (const entry of this.entries) {
      if (entry.timedOut) continue;
      const elapsed = now - entry.deliveredAt;
      if (elapsed < this.timeoutMs) break; // entries are in delivery order: later ones are younger
      entry.timedOut = true;
      this.onTimeout(entry, elapsed);
    }
    if (this.timer === null) this.rearm(now);
  };

  private rearm(now: number): void {
    if (this.timeoutMs === null) return;
    const pending = this.entries.find((e) => !e.timedOut);
    if (pending !== undefined) this.arm(Math.max(0, pending.deliveredAt + this.timeoutMs - now));
  }

  private arm(ms: number): void {
    this.timer = this.timers.setTimeout(this.fire, ms);
  }

  private stopTimer(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
