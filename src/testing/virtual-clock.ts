/** Test support (not built): the one virtual Clock every unit test runs on. */
import type { Clock, TimerHandle } from '../util/clock.js';

interface Timer {
  readonly at: number;
  readonly fn: () => void;
}

/**
 * Virtual time: timers run only when `advance`/`advanceAsync` passes their due time, earliest
 * first (timers due at the same time run in the order they were set). Time stands still otherwise.
 */
export class VirtualClock implements Clock {
  private time: number;
  private nextId = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.time + ms, fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves the time to `ms` without running any timer (for code that only reads `now()`). */
  setNow(ms: number): void {
    this.time = ms;
  }

  /** Moves time forward by `ms`, running due timers synchronously in due order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (let due = this.takeDue(until); due !== undefined; due = this.takeDue(until)) due.fn();
    this.time = until;
  }

  /**
   * Like `advance`, but lets promise callbacks settle before each timer and at the end, so code
   * that awaits between timers (probes, pods, controllers) runs as it would in real time.
   */
  async advanceAsync(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      await settle();
      const due = this.takeDue(until);
      if (due === undefined) break;
      due.fn();
    }
    this.time = until;
    await settle();
  }

  /** Removes the earliest timer due by `until`, moving the time to its due time. */
  private takeDue(until: number): Timer | undefined {
    let dueId = -1;
    let due: Timer | undefined;
    for (const [id, t] of this.timers) if (t.at <= until && (due === undefined || t.at < due.at)) [dueId, due] = [id, t];
    if (due === undefined) return undefined;
    this.timers.delete(dueId);
    this.time = due.at;
    return due;
  }
}

/** A few microtask turns: enough for short promise chains to run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
