import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type AckInfo, parseAckSubject } from './held-message.js';
import { classifyPullStatus } from './pull-status.js';

/** Long pulls: a waiting pull costs the server nothing, and expiry only re-arms it. */
export const PULL_EXPIRES_MS = 30_000;
/**
 * Server heartbeats on a waiting pull; two missed and the pulls are taken as lost. The client's
 * default (expires / 2 = 15 s) left a pull registered at a killed stream leader unnoticed for up
 * to 30 s; at 2 s a new leader gets our pulls within about 4 s.
 */
export const PULL_HEARTBEAT_MS = 2_000;
const NS_PER_MS = 1_000_000;

export interface PullEngineDeps {
  readonly nc: Pick<NatsConnection, 'subscribe' | 'publish'>;
  /** `$JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>`. */
  readonly subject: string;
  readonly now: () => number;
  /** A delivery: the engine counted it against the credit. */
  onMessage(msg: Msg, info: AckInfo): void;
  /** A request ended with credit unserved (expired or refused): pull again if still wanted. */
  onEnded(retryLater: boolean): void;
  /** The pulls are gone (missed heartbeats, durable or stream gone): credit is zero again. */
  onLost(reason: string): void;
  /** Something on the inbox that is neither a delivery nor a status (never from a server). */
  onStray(subject: string): void;
}

/**
 * The pull side of one durable for one instance, for the life of the task: one inbox
 * subscription, and raw pull requests (`{batch, expires, idle_heartbeat}`) published to the
 * durable's MSG.NEXT subject, each asking for exactly the credit the caller has free. The
 * server answers a request with up to `batch` deliveries, idle heartbeats while it waits, and a
 * status when it ends unserved (408 with the count left, 409 refused). `requested` is the credit
 * outstanding at the server: what was asked and neither delivered nor returned by a status.
 * Every request's reply subject carries its batch, so a status without a count is attributed.
 *
 * Deliveries all arrive on one subscription in the order the server sent them, so several
 * outstanding requests never reorder a stream. After a reset (missed heartbeats, reconnect) an
 * old request can still deliver: credit then goes below zero, is clamped, and the surplus waits
 * in the caller's buffer, bounded by what was outstanding before.
 */
export class PullEngine {
  private sub: Subscription | null = null;
  private prefix = '';
  private outstanding = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Last traffic on the inbox, or when credit went from none to some. */
  private heard = 0;
  private lastTick = 0;

  constructor(private readonly deps: PullEngineDeps) {}

  get requested(): number {
    return this.outstanding;
  }

  /** Asks for `batch` more messages (a synchronous publish: call it where writes are batched). */
  request(batch: number): void {
    if (batch <= 0) return;
    this.open();
    if (this.outstanding === 0) this.heard = this.deps.now();
    this.outstanding += batch;
    const body = `{"batch":${batch},"expires":${PULL_EXPIRES_MS * NS_PER_MS},"idle_heartbeat":${PULL_HEARTBEAT_MS * NS_PER_MS}}`;
    this.deps.nc.publish(this.deps.subject, body, { reply: `${this.prefix}${batch}` });
  }

  /** Forgets the outstanding credit (the server lost the requests, or may have). */
  reset(): void {
    this.outstanding = 0;
  }

  /**
   * Ends the subscription: the server drops requests whose inbox has no interest. With `drain`,
   * deliveries already on their way are still handed to `onMessage` (the caller settles them);
   * without it (the connection is gone) they are dropped and come back after the lease.
   */
  stop(drain: boolean): void {
    this.outstanding = 0;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const sub = this.sub;
    this.sub = null;
    if (sub === null) return;
    try {
      if (drain) sub.drain().catch(() => undefined);
      else sub.unsubscribe();
    } catch {
      // The connection is closed: nothing to end.
    }
  }

  private open(): void {
    if (this.sub !== null) return;
    this.prefix = `${createInbox()}.`;
    this.sub = this.deps.nc.subscribe(`${this.prefix}*`, { callback: (error, msg) => (error === null ? this.onMsg(msg) : this.lost(`inbox: ${error.message}`)) });
    this.lastTick = this.deps.now();
    this.timer = setInterval(this.check, PULL_HEARTBEAT_MS / 2);
    this.timer.unref();
  }

  private onMsg(msg: Msg): void {
    this.heard = this.deps.now();
    if (!msg.subject.startsWith(this.prefix)) {
      const info = msg.reply === undefined ? null : parseAckSubject(msg.reply);
      if (info === null) {
        this.deps.onStray(msg.subject);
        return;
      }
      if (this.outstanding > 0) this.outstanding--;
      this.deps.onMessage(msg, info);
      return;
    }
    const headers = msg.headers;
    const batch = Number(msg.subject.slice(this.prefix.length)) || 1;
    const status = classifyPullStatus(headers?.code ?? 0, headers?.description ?? '', headers?.get('Nats-Pending-Messages'), batch);
    if (status.kind === 'alive') return;
    if (status.kind === 'lost') {
      this.lost(status.reason);
      return;
    }
    this.outstanding = Math.max(0, this.outstanding - status.unserved);
    this.deps.onEnded(status.retryLater);
  }

  /** Every half heartbeat interval: no traffic for two intervals while credit is outstanding means the requests are gone. */
  private readonly check = (): void => {
    const now = this.deps.now();
    const late = now - this.lastTick > 2 * PULL_HEARTBEAT_MS;
    this.lastTick = now;
    // A stalled event loop is no news about the server: what arrived meanwhile is still unread.
    if (late) this.heard = now;
    if (this.outstanding > 0 && now - this.heard > 2 * PULL_HEARTBEAT_MS) this.lost('heartbeats missed');
  };

  private lost(reason: string): void {
    this.outstanding = 0;
    this.heard = this.deps.now();
    this.deps.onLost(reason);
  }
}
