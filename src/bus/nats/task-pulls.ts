import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../util/logger.js';
import type { DispatchTaskSpec } from '../types.js';
import type { AckInfo } from './held-message.js';
import type { Outbox } from './outbox.js';
import { PullEngine } from './pull-engine.js';

const PULL_RETRY_MS = 250;

/** What a task's pulls need from its source and transport. */
export interface TaskPullsContext {
  readonly logger: Logger;
  /** Pull requests leave with the turn's other writes. */
  readonly outbox: Outbox;
  readonly nc: Pick<NatsConnection, 'subscribe' | 'publish'>;
  /** `$JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>` of the task's durable. */
  readonly pullSubject: string;
  /** The task's spec now (a reload may change concurrency). */
  spec(): DispatchTaskSpec;
  /** The durable, looked up (and ensured after `pullFailed`); rejects while the server refuses. */
  consumer(): Promise<unknown>;
  /** A pull failed: the durable is looked up, and ensured, again. */
  pullFailed(): void;
  /** Deliveries received and not yet given to a pod (they count against the free slots). */
  buffered(): number;
  /** The source takes deliveries (not closed, not stopped). */
  active(): boolean;
  receive(msg: Msg, info: AckInfo): void;
}

/**
 * When and how much one task asks of its durable: after every pump (`want`), once per turn, the
 * free slots not yet covered by buffered deliveries and outstanding credit, so what this instance
 * holds or has asked for never exceeds what its pods can take. The request leaves in the same
 * write as the turn's acks, so a pod gets its next messages one round trip after its replies.
 */
export class TaskPulls {
  private readonly engine: PullEngine;
  private slots: (() => number) | null = null;
  /** The durable was looked up since the last failure: requests can go out. */
  private durableReady = false;
  private ensuring = false;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: TaskPullsContext) {
    this.engine = new PullEngine({
      nc: ctx.nc,
      subject: ctx.pullSubject,
      now: Date.now,
      onMessage: (msg, info) => ctx.receive(msg, info),
      onEnded: (retryLater) => (retryLater ? this.retryLater() : this.wanted()),
      onLost: (reason) => this.lost(reason),
      onStray: (subject) => ctx.logger.debug({ task: ctx.spec().name, subject }, 'bus pull inbox: not a JetStream delivery; ignored'),
    });
  }

  /** Credit outstanding at the server: messages asked for and not received yet. */
  get requested(): number {
    return this.engine.requested;
  }

  want(slots: () => number): void {
    this.slots = slots;
    this.wanted();
  }

  /** Schedules this turn's pull (once per turn, computed after the turn's acks). */
  wanted(): void {
    if (this.scheduled || this.slots === null || this.retryTimer !== null || !this.ctx.active()) return;
    this.scheduled = true;
    this.ctx.outbox.defer(this.pullNow);
  }

  /** The connection came back: requests the server held may be gone with it, so they are asked again. */
  reconnected(): void {
    this.engine.reset();
    this.wanted();
  }

  /** Ends the pulls; with `drain`, deliveries already on their way are still received. */
  stop(drain: boolean): void {
    this.engine.stop(drain);
    this.durableReady = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * While credit is outstanding, more is asked only once 1/64 of the slots is free: every request
   * with credit left waits at the server, which refuses more than 512 waiting per durable (409,
   * then asked again later).
   */
  private readonly pullNow = (): void => {
    this.scheduled = false;
    if (this.slots === null || this.retryTimer !== null || !this.ctx.active()) return;
    const slots = this.slots();
    const requested = this.engine.requested;
    const extra = slots - this.ctx.buffered() - requested;
    if (extra <= 0 || (requested > 0 && extra < Math.max(1, Math.ceil(slots / 64)))) return;
    if (!this.durableReady) {
      this.ensureDurable();
      return;
    }
    // A request per pod's worth of slots, as separate workers would pull: the server rotates a
    // partly served request to the back of its queue, so one request for several pods' slots
    // would lose their places in the first-come order across instances.
    const spec = this.ctx.spec();
    const chunk = spec.mode === 'round_robin' ? Math.max(1, spec.concurrency) : extra;
    for (let left = extra; left > 0; left -= chunk) this.engine.request(Math.min(chunk, left));
  };

  /** Looks the durable up (ensuring it after a failure) before the first pull and after a loss. */
  private ensureDurable(): void {
    if (this.ensuring) return;
    this.ensuring = true;
    this.ctx.consumer().then(
      () => {
        this.ensuring = false;
        this.durableReady = true;
        this.wanted();
      },
      (error: unknown) => {
        this.ensuring = false;
        if (this.ctx.active()) this.ctx.logger.debug({ err: error, task: this.ctx.spec().name }, 'bus durable lookup failed; pulling again');
        this.ctx.pullFailed();
        this.retryLater();
      },
    );
  }

  /** Missed heartbeats (a killed stream leader), a deleted durable, no responders: ensure it, pull again. */
  private lost(reason: string): void {
    if (!this.ctx.active()) return;
    this.ctx.logger.debug({ task: this.ctx.spec().name, reason }, `bus pulls lost (${reason}); pulling again`);
    this.durableReady = false;
    this.ctx.pullFailed();
    this.retryLater();
  }

  private retryLater(): void {
    if (this.retryTimer !== null || !this.ctx.active()) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wanted();
    }, PULL_RETRY_MS);
  }
}
