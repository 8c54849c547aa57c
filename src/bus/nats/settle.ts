import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsTaskSource } from './task-source.js';

interface Pending {
  readonly pending: number;
  idle(): Promise<void>;
}

export interface SettleParts {
  readonly nc: NatsConnection;
  /** The JetStream publisher and the latest writer: what they have in flight. */
  readonly publisher: Pending;
  readonly latestWrites: Pending;
  /** Async work started by synchronous calls (stream setup, replays). */
  readonly work: ReadonlySet<Promise<unknown>>;
  sources(): readonly NatsTaskSource[];
}

/**
 * Tests: resolves once nothing moves: publishes stored, work done, and three equal snapshots in a
 * row of every durable's counters (a naked message is redelivered at once to a waiting pull,
 * which moves them).
 */
export async function waitSettled(parts: SettleParts): Promise<void> {
  let previous = '';
  let stable = 0;
  while (stable < 3) {
    await parts.latestWrites.idle();
    await parts.publisher.idle();
    await Promise.allSettled([...parts.work]);
    await parts.nc.flush();
    const snapshots = await Promise.all(parts.sources().map((source) => source.snapshot()));
    const busy = parts.publisher.pending > 0 || parts.latestWrites.pending > 0 || parts.work.size > 0;
    const now = busy ? null : snapshots.join(' ');
    stable = now !== null && now === previous ? stable + 1 : 0;
    previous = now ?? '';
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
