/** Test support (not a test file): a synchronous virtual Clock for the runtime's pure parts. */
import type { Clock, TimerHandle } from '../util/clock.js';

/** Timers run only when `advance` passes their due time, in due order. */
export class VirtualClock implements Clock {
  private time: number;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

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

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let dueId = -1;
      let due: { at: number; fn: () => void } | undefined;
      for (const [id, t] of this.timers) if (t.at <= until && (due === undefined || t.at < due.at)) [dueId, due] = [id, t];
      if (due === undefined) break;
      this.timers.delete(dueId);
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
}
