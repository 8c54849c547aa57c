/**
 * Coalesces this instance's protocol writes to one per event-loop turn. The client writes its
 * buffered commands to the socket once per microtask checkpoint, and every pod line, pipe chunk
 * and socket chunk is a checkpoint of its own: without this, each publish, ack and pull is a
 * separate write (and a separate wake-up of the server), which on a loaded machine costs more
 * than the rest of a message's path. Work deferred here runs in one `setImmediate` callback, so
 * everything a turn produced leaves in one write.
 */
export class Outbox {
  private waiters: (() => void)[] = [];
  private actions: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Resolves in the next batch: `await outbox.turn()` and then write. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.schedule();
    });
  }

  /** Runs `action` (a synchronous write) in the next batch. */
  defer(action: () => void): void {
    this.actions.push(action);
    this.schedule();
  }

  /** Runs everything deferred now (before a drain or close, which refuse later writes). */
  flush(): void {
    this.scheduled = false;
    // Waiters first: their continuations are queued before the client's flush, which the first
    // synchronous write below schedules, so they join the same write.
    const waiters = this.waiters;
    const actions = this.actions;
    this.waiters = [];
    this.actions = [];
    for (const resolve of waiters) resolve();
    for (const action of actions) {
      try {
        action();
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      if (this.scheduled) this.flush();
    });
  }
}
