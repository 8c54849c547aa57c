import type { OverflowPolicy } from '../../config/types.js';
import type { Outbox } from './outbox.js';

/** Publishes to a stream; resolves once it is stored (see PubAcks). */
export interface StreamPublish {
  publish(subject: string, payload: Uint8Array, msgID: string): Promise<void>;
  close(): void;
}

/** Outcome of one JetStream publish. */
export type PublishOutcome = 'stored' | 'rejected' | 'closed';

/** The stream refused the message for its limits (max_msgs / max_bytes with discard new). */
const STREAM_FULL = new Set([10077, 10078]);
const RETRY_MIN_MS = 5;
const RETRY_MAX_MS = 200;

function isStreamFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && STREAM_FULL.has(code)) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /maximum (messages|bytes) exceeded/i.test(message);
}

/**
 * JetStream publishes of one instance, PublishAsync style: up to `window` in flight, each retried
 * with its Nats-Msg-Id (so a retry never stores twice) until the server stores it:
 * - stream full and overflow = "block": parked, retried with backoff 5 → 200 ms; while anything is
 *   parked the publisher is "full", so the bus pauses pod publishers (real backpressure across
 *   machines: the stream itself holds the bound);
 * - stream full otherwise: `rejected` (reject);
 * - no answer (disconnected, leader election): retried the same way, so nothing is lost.
 */
export class JetStreamPublisher {
  private inFlight = 0;
  private parked = 0;
  private closed = false;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly streams: StreamPublish,
    private readonly window: number,
    private readonly outbox: Outbox,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True while a publisher should pause: the window is full or a "block" message is parked. */
  get full(): boolean {
    return this.inFlight >= this.window || this.parked > 0;
  }

  get pending(): number {
    return this.inFlight;
  }

  send(subject: string, payload: Uint8Array, msgID: string, overflow: OverflowPolicy, ready: Promise<void>): Promise<PublishOutcome> {
    this.inFlight++;
    return this.run(subject, payload, msgID, overflow, ready).finally(() => {
      this.inFlight--;
      this.wake();
    });
  }

  whenRoom(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves once nothing is in flight (tests; close). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.streams.close();
  }

  private async run(subject: string, payload: Uint8Array, msgID: string, overflow: OverflowPolicy, ready: Promise<void>): Promise<PublishOutcome> {
    await ready;
    let delay = RETRY_MIN_MS;
    let parked = false;
    try {
      for (;;) {
        await this.outbox.turn();
        if (this.closed) return 'closed';
        try {
          await this.streams.publish(subject, payload, msgID);
          return 'stored';
        } catch (error) {
          if (isStreamFull(error)) {
            if (overflow !== 'block') return 'rejected';
            if (!parked) {
              parked = true;
              this.parked++;
            }
          } else if (!this.closed) {
            this.onError(error);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    } finally {
      if (parked) this.parked--;
    }
  }

  private wake(): void {
    if (!this.full && this.roomWaiters.length > 0) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
