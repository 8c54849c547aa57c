/**
 * Writes of the retained latest message per topic, coalesced: at most one write per topic is on
 * its way to the server; a newer message for a topic whose write is still on its way replaces
 * the one waiting behind it. The stream keeps only the last message per topic anyway, so a burst
 * on one topic costs one round trip, not one store per message, and the latest one always lands
 * last (one write per topic at a time keeps their order). Waiting memory is one message per topic.
 */
export class LatestWriter<P> {
  private readonly inFlight = new Set<string>();
  private readonly waiting = new Map<string, P>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly send: (subject: string, payload: P) => Promise<unknown>) {}

  write(subject: string, payload: P): void {
    if (this.inFlight.has(subject)) this.waiting.set(subject, payload);
    else this.start(subject, payload);
  }

  /** Writes on their way or waiting. */
  get pending(): number {
    return this.inFlight.size + this.waiting.size;
  }

  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private start(subject: string, payload: P): void {
    this.inFlight.add(subject);
    const next = (): void => {
      this.inFlight.delete(subject);
      const newer = this.waiting.get(subject);
      if (newer !== undefined) {
        this.waiting.delete(subject);
        this.start(subject, newer);
        return;
      }
      if (this.pending > 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    };
    this.send(subject, payload).then(next, next);
  }
}
