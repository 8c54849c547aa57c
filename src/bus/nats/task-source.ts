import type { Consumer, ConsumerInfo } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../util/logger.js';
import type { Message } from '../../protocol/types.js';
import { Parcel } from '../routing/index.js';
import type { Delivery, QueueDepth, TaskConsumer, TaskSource } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { type AckInfo, HeldMessage } from './held-message.js';
import { decodeEnvelope } from './names.js';
import type { Outbox } from './outbox.js';
import { SeenSequences } from './seen-sequences.js';
import { TaskPulls } from './task-pulls.js';

/** A delivery backed by one JetStream message this instance holds (buffered or at a pod). */
export interface NatsDelivery extends Delivery {
  readonly msg: HeldMessage;
}

/** What a task source needs from its transport. */
export interface SourceContext {
  readonly logger: Logger;
  /** Acks, naks and pulls leave with the turn's other writes. */
  readonly outbox: Outbox;
  /** Pull requests and their inbox. */
  readonly nc: Pick<NatsConnection, 'subscribe' | 'publish'>;
  /** `$JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>` of the task's durable. */
  readonly pullSubject: string;
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
 *
 * Broadcast is at least once from the server (a delivery whose ack arrives after ack_wait is sent
 * again) but exactly once to the pods while this source lives: a stream sequence it already
 * received is acknowledged again and dropped (SeenSequences). round_robin keeps every redelivery:
 * there a repeated sequence is a nak's, or a lease that ran out, and another pod may take it.
 */
export class NatsTaskSource implements TaskSource {
  private buffer: NatsDelivery[] = [];
  private head = 0;
  /** Held by this instance and not settled: renewed with working(). */
  private readonly unsettled = new Set<NatsDelivery>();
  private readonly pulls: TaskPulls;
  private closed = false;
  private stopped = false;
  /** Messages received since bound (compared with the consumer's delivered count when settling). */
  received = 0;
  /** Last read of the server's count of messages waiting for this durable or held by another instance. */
  private serverQueued = 0;
  /** Broadcast: stream sequences received, until the durable's ack floor passes them. */
  private readonly seen = new SeenSequences();

  constructor(
    public spec: DispatchTaskSpec,
    public consumer: TaskConsumer,
    private readonly ctx: SourceContext,
  ) {
    this.pulls = new TaskPulls({
      ...ctx,
      pullFailed: () => {
        // The durable (or its stream) may be made anew: its sequences mean nothing known any more.
        this.seen.clear();
        ctx.pullFailed();
      },
      spec: () => this.spec,
      buffered: () => this.length,
      active: () => !this.closed && !this.stopped,
      receive: (msg, info) => this.receive(msg, info),
    });
  }

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
    this.pulls.want(slots);
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
    // Not drained: what the server sent meanwhile comes back after the lease, for any instance.
    this.pulls.stop(false);
    const buffered = this.takeBuffer();
    for (const delivery of buffered) this.settle(delivery, 'ack');
    return buffered;
  }

  open(): void {
    this.closed = false;
    this.pulls.wanted();
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
    return `${info.delivered.consumer_seq}/${info.num_pending}/${info.num_ack_pending}/${this.received}/${this.pulls.requested}/${this.unsettled.size}`;
  }

  /** Stops pulling and settles nothing (the connection is gone: the lease returns it all). */
  halt(): void {
    this.stopped = true;
    this.pulls.stop(false);
  }

  /** Stops pulling and naks everything held: other instances get it at once. */
  stop(): Delivery[] {
    this.stopped = true;
    this.pulls.stop(true);
    const buffered = this.takeBuffer();
    for (const delivery of [...this.unsettled]) this.settle(delivery, 'nak');
    return buffered;
  }

  private note(info: ConsumerInfo): void {
    // Unacknowledged on the server but not held here: naked for redelivery, or at another instance.
    this.serverQueued = info.num_pending + Math.max(0, info.num_ack_pending - this.unsettled.size);
    if (this.seen.size > 0) this.seen.forgetThrough(info.ack_floor.stream_seq);
  }

  private takeBuffer(): NatsDelivery[] {
    const buffered = this.buffer.slice(this.head);
    this.buffer = [];
    this.head = 0;
    return buffered;
  }

  /** The connection came back: pulls the server held may be gone with it, so they are asked again. */
  reconnected(): void {
    this.pulls.reconnected();
  }

  private settle(delivery: NatsDelivery, how: 'ack' | 'nak' | 'term'): void {
    if (!this.unsettled.delete(delivery)) return;
    this.ctx.outbox.defer(() => this.respond(delivery.msg, how));
  }

  private respond(msg: HeldMessage, how: 'ack' | 'nak' | 'term'): void {
    try {
      if (how === 'ack') msg.ack();
      else if (how === 'nak') msg.nak();
      else msg.term();
    } catch (error) {
      // The connection is closed: the server redelivers the message after the lease.
      this.ctx.logger.debug({ err: error, task: this.spec.name }, `bus ${how} not sent`);
    }
  }

  private receive(raw: Msg, info: AckInfo): void {
    this.received++;
    const msg = new HeldMessage(raw, info);
    if (this.spec.mode === 'broadcast' && !this.seen.add(info.streamSeq)) {
      // Already received (given to the pods, or still buffered for them): the server sent it again
      // because our ack arrived after ack_wait. Its ack covers this stream sequence either way.
      this.ctx.logger.debug({ task: this.spec.name, seq: info.streamSeq, attempt: info.deliveryCount }, 'bus broadcast redelivery of a message already received; dropped');
      this.ctx.outbox.defer(() => this.respond(msg, 'ack'));
      return;
    }
    const message = decodeEnvelope(msg.data);
    if (message === null) {
      // Not ours (someone published raw bytes on the task's subject): never given to a pod.
      this.ctx.logger.warn({ task: this.spec.name, seq: msg.seq }, `${this.spec.name}: discarded a bus message that is not an orchestrator envelope (stream seq ${msg.seq})`);
      this.ctx.outbox.defer(() => msg.term());
      return;
    }
    const delivery: NatsDelivery = { parcel: new Parcel(message), attempt: info.deliveryCount, deliveredAt: 0, timedOut: false, msg };
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
