import type { IncomingMessage } from '../protocol/frame-decoder.js';
import type { StdinFormat } from '../protocol/types.js';
import { OrchestratorError } from '../util/errors.js';

/** A request got no reply in time (code `REQUEST_TIMEOUT`). */
export class RequestTimeoutError extends OrchestratorError {
  declare readonly code: 'REQUEST_TIMEOUT';
  constructor(topic: string, timeoutMs: number) {
    super('REQUEST_TIMEOUT', `no reply on ${JSON.stringify(`${topic}.result`)} within ${timeoutMs} ms (does the task set receive_replies = true, and does a round_robin task subscribe to ${JSON.stringify(topic)}?)`);
  }
}

interface Pending {
  readonly topic: string;
  readonly ref: string;
  resolve(message: IncomingMessage): void;
}

/**
 * The client's requests in flight and how a delivery is matched to one. json: by `in_reply_to`,
 * which names the `id` the request was published with, so any number may be in flight. framed and
 * payload carry no id: one request is in flight at a time (later ones wait their turn) and the
 * next reply on `<topic>.result` (payload: the next delivery) answers it; after a timeout the one
 * late reply is skipped when it comes.
 */
export class ClientRequests {
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  /** framed/payload: the turn of the request in flight (resolves when it settles). */
  private turn: Promise<void> = Promise.resolve();
  /** framed/payload: late replies of timed-out requests still to skip, by reply topic. */
  private readonly stale = new Map<string, number>();

  constructor(private readonly format: StdinFormat) {}

  /** True when `message` answered a request (it is then not given to `messages()`). */
  take(message: IncomingMessage): boolean {
    if (this.format === 'json') {
      const ref = message.inReplyTo;
      if (ref === undefined || !ref.startsWith('req-')) return false;
      const pending = this.pending.get(ref);
      if (pending === undefined) return true; // a late reply to a request that timed out
      this.pending.delete(ref);
      pending.resolve(message);
      return true;
    }
    const key = this.format === 'payload' ? '' : message.topic;
    const skip = this.stale.get(key) ?? 0;
    const current = [...this.pending.values()][0];
    if (skip > 0) {
      this.stale.set(key, skip - 1);
      return true;
    }
    if (current === undefined || (this.format === 'framed' && `${current.topic}.result` !== message.topic)) return false;
    this.pending.delete(current.ref);
    current.resolve(message);
    return true;
  }

  /** Sends one request through `send(ref)` and resolves with its reply's data. */
  async request(topic: string, timeoutMs: number, send: (ref: string) => Promise<void>): Promise<string> {
    if (this.format === 'json') return this.inFlight(topic, timeoutMs, send);
    const previous = this.turn;
    let done!: () => void;
    this.turn = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      return await this.inFlight(topic, timeoutMs, send);
    } finally {
      done();
    }
  }

  private inFlight(topic: string, timeoutMs: number, send: (ref: string) => Promise<void>): Promise<string> {
    const ref = `req-${++this.next}`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        if (this.format !== 'json') {
          const key = this.format === 'payload' ? '' : `${topic}.result`;
          this.stale.set(key, (this.stale.get(key) ?? 0) + 1);
        }
        reject(new RequestTimeoutError(topic, timeoutMs));
      }, timeoutMs);
      this.pending.set(ref, {
        topic,
        ref,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message.data);
        },
      });
      send(ref).catch((error: unknown) => {
        clearTimeout(timer);
        this.pending.delete(ref);
        reject(error as Error);
      });
    });
  }
}
