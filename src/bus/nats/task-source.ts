import type { Consumer, ConsumerInfo, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../../util/logger.js';
import type { Message } from '../../protocol/types.js';
import { Parcel } from '../routing/index.js';
import type { Delivery, QueueDepth, TaskConsumer, TaskSource } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { decodeEnvelope } from './names.js';
import type { Outbox } from './outbox.js';

/** A delivery backed by one JetStream message this instance holds (buffered or at a pod). */
export interface NatsDelivery extends Delivery {
  readonly msg: JsMsg;
}

/** Long pulls: a waiting pull costs the server nothing, and expiry only re-arms it. */
const FETCH_EXPIRES_MS = 30_000;
/**
 * Server heartbeats on a waiting pull; two missed end it and it is pulled again. The client's
 * default (expires / 2 = 15 s) left a pull registered at a killed stream leader unnoticed for up
 * to 30 s; at 2 s a new leader gets our pulls within about 4 s.
 */
const FETCH_HEARTBEAT_MS = 2_000;
const PULL_RETRY_MS = 250;

/** What a task source needs from its transport. */
export interface SourceContext {
  readonly logger: Logger;
  /** Acks, naks and pulls leave with the turn's other writes. */
  readonly outbox: Outbox;
  /** The task's durable consumer, once its stream and consumer exist. */
  consumer(): Promise<Consumer>;
  /** A pull failed (the durable is looked up, and ensured, again). */
  pullFailed(): void;
  /** Publishes `<topic>.dead` from the orchestrator; resolves once every stream stored it. */
  deadLetter(message: Message): Promise<void>;
  /** A message reached this instance for a closed task (a finished job): it is acknowledged and reported. */
  droppedClosed(message: Message): void;
}

/**
 * A task's JetStream durable as the dispatcher's TaskSource. Busy-aware: it pulls only as many
 * messages as the local pods have free slots (`want`), so the rest stay on the server for other
 * instances. Everything it holds (buffered or at a pod) is renewed every lease/3 (`renew`) and
 * ends exactly once: ack (`.result`, or taken by a broadcast), nak (retry: redelivered at once),
 * term after its dead letter was stored, or nak on close.
 */
export class NatsTaskSource implements TaskSource {
  private buffer: NatsDelivery[] = [];
  private head = 0;
  /** Held by this instance and not settled: renewed with working(). */
  private readonly unsettled = new Set<NatsDelivery>();
  /** Messages asked of the server by running pulls and not received yet. */
  private requested = 0;
  private readonly pulls = new Set<ConsumerMessages>();
  private slots: (() => number) | null = null;
  private closed = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Messages received since bound (compared with the consumer's delivered count when settling). */
  received = 0;
  /** Last read of the server's count of messages waiting for this durable or held by another instance. */
  private serverQueued = 0;

  constructor(
    public spec: DispatchTaskSpec,
    public consumer: TaskConsumer,
    private readonly ctx: SourceContext,
  ) {}

  get length(): number {
    return this.buffer.length - this.head;
  }

  get queued(): number {
    return this.serverQueued + this.length;
  }

  /** Re-reads `queued` from the server (stats; called on the renew timer). */
  async refresh(): Promise<void> {
    this.note(await (await this.ctx.consumer()).info());
  }

  peek(): Delivery | undefined {
    return this.buffer[this.head];
  }

  /** The i-th buffered delivery from the front (replay checks what is still waiting). */
  peekAt(i: number): Delivery | undefined {
    return this.buffer[this.head + i];
  }

  shift(): Delivery | undefined {
    if (this.head >= this.buffer.length) return undefined;
    const delivery = this.buffer[this.head++] as NatsDelivery;
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    // Broadcast is not acknowledged by pods: taking it (it is written to every pod now) is the ack.
    if (this.spec.mode === 'broadcast') this.settle(delivery, 'ack');
    return delivery;
  }

  want(slots: () => number): void {
    this.slots = slots;
    this.pullIfWanted();
  }

  ack(delivery: Delivery): void {
    this.settle(delivery as NatsDelivery, 'ack');
  }

  retry(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) this.settle(delivery as NatsDelivery, 'nak');
  }

  deadLetter(delivery: Delivery): void {
    const held = delivery as NatsDelivery;
    // Renewed until its dead letter is stored, then terminated: never lost, never left stored.
    this.ctx.deadLetter(held.parcel.message).then(
      () => this.settle(held, 'term'),
      (error: unknown) => {
        this.ctx.logger.warn({ err: error, id: held.parcel.message.id }, `dead letter of ${held.parcel.message.id} not stored; the message is redelivered`);
        this.settle(held, 'nak');
      },
    );
  }

  close(): Delivery[] {
    this.closed = true;
    this.stopPulls();
    const buffered = this.takeBuffer();
    for (const delivery of buffered) this.settle(delivery, 'ack');
    return buffered;
  }

  open(): void {
    this.closed = false;
    this.pullIfWanted();
  }

  /** working() for everything held, so the lease never runs out while this instance lives. */
  renew(): void {
    try {
      for (const delivery of this.unsettled) delivery.msg.working();
    } catch (error) {
      // Disconnected: the client refuses to write; the next tick renews again.
      this.ctx.logger.debug({ err: error, task: this.spec.name }, 'bus lease renewal skipped');
    }
  }

  /** Messages this instance holds (buffered or at a pod), for `lease-lost` after a long disconnect. */
  held(): Message[] {
    return [...this.unsettled].map((d) => d.parcel.message);
  }

  /** Cluster-wide numbers of the task's durable (broadcast: this instance's durable). */
  async depth(): Promise<QueueDepth> {
    const info = await (await this.ctx.consumer()).info();
    this.note(info);
    return { queued: info.num_pending + this.length, inFlight: info.num_ack_pending - this.length };
  }

  /**
   * Settling check for tests: the durable's counters and this source's; equal snapshots in a row
   * mean nothing is moving (the durable is shared by every instance, so its delivered count is
   * not ours alone; a naked message is redelivered at once to a waiting pull, which moves them).
   */
  async snapshot(): Promise<string> {
    const info = await (await this.ctx.consumer()).info();
    this.note(info);
    return `${info.delivered.consumer_seq}/${info.num_pending}/${info.num_ack_pending}/${this.received}/${this.requested}/${this.unsettled.size}`;
  }

  /** Stops pulling and settles nothing (the connection is gone: the lease returns it all). */
  halt(): void {
    this.stopped = true;
    this.stopPulls();
  }

  /** Stops pulling and naks everything held: other instances get it at once. */
  stop(): Delivery[] {
    this.stopped = true;
    this.stopPulls();
    const buffered = this.takeBuffer();
    for (const delivery of [...this.unsettled]) this.settle(delivery, 'nak');
    return buffered;
  }

  private note(info: ConsumerInfo): void {
    // Unacknowledged on the server but not held here: naked for redelivery, or at another instance.
    this.serverQueued = info.num_pending + Math.max(0, info.num_ack_pending - this.unsettled.size);
  }

  private takeBuffer(): NatsDelivery[] {
    const buffered = this.buffer.slice(this.head);
    this.buffer = [];
    this.head = 0;
    return buffered;
  }

  private stopPulls(): void {
    for (const pull of this.pulls) pull.stop();
    this.pulls.clear();
    this.requested = 0;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private settle(delivery: NatsDelivery, how: 'ack' | 'nak' | 'term'): void {
    if (!this.unsettled.delete(delivery)) return;
    this.ctx.outbox.defer(() => {
      try {
        if (how === 'ack') delivery.msg.ack();
        else if (how === 'nak') delivery.msg.nak();
        else delivery.msg.term();
      } catch (error) {
        // The connection is closed: the server redelivers the message after the lease.
        this.ctx.logger.debug({ err: error, task: this.spec.name }, `bus ${how} not sent`);
      }
    });
  }

  private pullIfWanted(): void {
    if (this.closed || this.stopped || this.slots === null || this.retryTimer !== null) return;
    const slots = this.slots();
    const extra = slots - this.length - this.requested;
    // A pull per freed slot would cost a server request per message: while a pull is running (it
    // is served as messages come), more is asked only once a quarter of the credit is free.
    // Broadcast keeps one pull at a time: the server hands waiting pulls one message each in turn,
    // so two pulls would split the stream between them and a pod would see it out of order.
    const more = this.spec.mode === 'round_robin' && extra >= Math.max(1, slots >> 2);
    if (extra > 0 && (this.requested === 0 || more)) void this.pull(extra);
  }

  private async pull(count: number): Promise<void> {
    this.requested += count;
    let left = count;
    let failed = false;
    try {
      const consumer = await this.ctx.consumer();
      await this.ctx.outbox.turn();
      if (this.closed || this.stopped) return;
      const pull = await consumer.fetch({ max_messages: count, expires: FETCH_EXPIRES_MS, idle_heartbeat: FETCH_HEARTBEAT_MS });
      this.pulls.add(pull);
      try {
        for await (const msg of pull) {
          left--;
          this.requested--;
          this.receive(msg);
        }
      } finally {
        this.pulls.delete(pull);
      }
    } catch (error) {
      // Missed heartbeats (a blocked event loop), a reconnect or a leader change: pull again.
      if (!this.stopped) this.ctx.logger.debug({ err: error, task: this.spec.name }, 'bus pull ended; pulling again');
      failed = true;
      this.ctx.pullFailed();
    } finally {
      if (!this.stopped && !this.closed) this.requested -= left;
    }
    if (failed && !this.stopped) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.pullIfWanted();
      }, PULL_RETRY_MS);
      return;
    }
    this.pullIfWanted();
  }

  private receive(msg: JsMsg): void {
    this.received++;
    const message = decodeEnvelope(msg.data);
    if (message === null) {
      // Not ours (someone published raw bytes on the task's subject): never given to a pod.
      this.ctx.logger.warn({ task: this.spec.name, seq: msg.seq }, `${this.spec.name}: discarded a bus message that is not an orchestrator envelope (stream seq ${msg.seq})`);
      msg.term();
      return;
    }
    const delivery: NatsDelivery = { parcel: new Parcel(message), attempt: msg.info.deliveryCount, deliveredAt: 0, timedOut: false, msg };
    this.unsettled.add(delivery);
    if (this.stopped) {
      this.settle(delivery, 'nak');
      return;
    }
    if (this.closed) {
      this.settle(delivery, 'ack');
      this.ctx.droppedClosed(message);
      return;
    }
    if (this.spec.mode === 'round_robin' && delivery.attempt > this.spec.maxDeliveries) {
      // Its holder died after the last allowed delivery: dead-lettered without reaching a pod.
      this.ctx.logger.warn({ task: this.spec.name, id: message.id, attempts: delivery.attempt - 1 }, `${this.spec.name}: message ${message.id} on "${message.topic}" dead-lettered to "${message.topic}.dead" after ${delivery.attempt - 1} deliveries`);
      this.deadLetter(delivery);
      return;
    }
    const admit = this.consumer.admit;
    if (admit !== null && !admit(delivery)) return;
    this.buffer.push(delivery);
    this.consumer.arrived();
  }
}
