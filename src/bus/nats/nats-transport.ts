import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Message, ReplyAddress } from '../../protocol/types.js';
import type { Logger } from '../../util/logger.js';
import { UnknownPodError, UnknownTaskError } from '../dispatcher/errors.js';
import { MemorySource } from '../memory/memory-source.js';
import { RoomGate } from '../memory/room-gate.js';
import { Taps } from '../memory/taps.js';
import { LatestAnswer, newEntry, Parcel, TopicBroker } from '../routing/index.js';
import type { Delivery, InboxTarget, TapListener, TaskConsumer, TaskSource, Transport, TransportDeps, TransportEvent } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { type ConnectionState, watchStatus } from './connection.js';
import { NatsInboxes } from './inboxes.js';
import { readLatest, readLatestOf } from './latest.js';
import { LatestWriter } from './latest-writer.js';
import { encodeEnvelope, type ProjectNames, type TaskRecord } from './names.js';
import { Observers } from './observers.js';
import { Outbox } from './outbox.js';
import type { NatsBusSettings } from './options.js';
import { JetStreamPublisher } from './publisher.js';
import { qualifyInbox } from './reply-wire.js';
import type { Registry } from './registry.js';
import { ensureTask, taskDurable, type TaskSetup } from './task-setup.js';
import { NatsTaskSource } from './task-source.js';

export interface NatsTransportParts {
  readonly settings: NatsBusSettings;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: ProjectNames;
  readonly registry: Registry;
  readonly deps: TransportDeps & { readonly logger: Logger };
  readonly maxMessageSize: number;
}

interface LocalTask extends TaskSetup {
  readonly source: NatsTaskSource;
}
/** How long close waits for in-flight publishes and the final flush while the server is away. */
const CLOSE_FLUSH_MS = 2_000;

const READY: Promise<void> = Promise.resolve();

/**
 * The JetStream transport: each subscribing task's messages wait in its own stream on the server,
 * shared by every instance of the project; this instance pulls only what its pods can take.
 * Routing is ours (the same TopicBroker as in process) over the task patterns every instance
 * registers, so wildcard semantics and per-task bounds are exactly those of tasks.toml.
 */
export class NatsTransport implements Transport {
  readonly kind = 'nats' as const;
  private readonly broker = new TopicBroker();
  private readonly tasks = new Map<string, LocalTask>();
  /** Tasks other instances registered (routing and overflow only). */
  private readonly remote = new Map<string, TaskRecord>();
  private readonly pods = new Map<string, MemorySource>();
  private readonly taps = Object.assign(new Taps(), { count: 0 });
  private readonly podRoom = new RoomGate();
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private readonly publisher: JetStreamPublisher;
  private readonly outbox: Outbox;
  private readonly observers: Observers;
  private readonly inboxes: NatsInboxes;
  /** Every message's retained latest copy (see LatestWriter), whether or not a task replays. */
  private readonly latestWrites: LatestWriter<{ readonly envelope: Buffer; readonly id: string }>;
  /** Async work started by synchronous calls (stream setup, replays): awaited by `settled`. */
  private readonly work = new Set<Promise<unknown>>();
  private renewTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly parts: NatsTransportParts) {
    this.outbox = new Outbox((error) => parts.deps.logger.debug({ err: error }, 'bus write failed'));
    this.publisher = new JetStreamPublisher(parts.js, parts.settings.publishWindow, this.outbox, (error) => parts.deps.logger.debug({ err: error }, 'bus publish retried'));
    this.observers = new Observers(parts.nc, parts.names.observerSubject, parts.settings.instance, (wants) =>
      this.track(parts.registry.setInterest(wants).catch((error: unknown) => parts.deps.logger.warn({ err: error }, 'cannot register observer interest on the bus'))),
    );
    const { names, deps } = parts;
    this.latestWrites = new LatestWriter((subject, p) => this.publisher.send(subject, p.envelope, names.msgId(p.id, '_latest'), 'drop_oldest', READY));
    this.inboxes = new NatsInboxes({
      nc: parts.nc,
      instance: parts.settings.instance,
      inboxSubject: names.inboxSubject,
      newId: deps.newId,
      now: () => deps.clock.now(),
      toPod: (pod, reply) => {
        const own = this.pods.get(pod);
        if (own === undefined) return false;
        own.enqueue(newEntry(new Parcel(reply)));
        return true;
      },
      emit: (event) => this.emit(event),
      debug: (message, error) => deps.logger.debug({ err: error }, message),
    });
  }

  async start(): Promise<void> {
    const { nc, settings, registry } = this.parts;
    this.observers.start(this.onObserved);
    this.inboxes.start();
    await registry.watch(this.onRegistered, this.observers.onInterest);
    const display = (server: string): string => settings.displayServers.find((d) => d.endsWith(server.replace(/^.*@/, ''))) ?? (settings.displayServers[0] ?? 'nats');
    let lostAt = 0;
    const onState = (state: ConnectionState, server: string): void => {
      this.emit({ type: 'connection', state, server });
      if (state === 'disconnected') lostAt = Date.now();
      if (state !== 'reconnected' || Date.now() - lostAt < settings.leaseMs) return;
      // Away longer than a lease: the server may have handed what we hold to another instance.
      for (const [task, local] of this.tasks) for (const message of local.source.held()) this.emit({ type: 'lease-lost', task, message });
    };
    void watchStatus(nc, display, onState).catch(() => undefined);
    this.emit({ type: 'connection', state: 'connected', server: settings.displayServers[0] ?? 'nats' });
    this.renewTimer = setInterval(() => {
      for (const task of this.tasks.values()) {
        task.source.renew();
        task.source.refresh().catch(() => undefined);
      }
    }, Math.max(100, Math.floor(settings.leaseMs / 3)));
    this.renewTimer.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    // Everything held goes back at once (nak): other instances take over without waiting a lease.
    for (const task of this.tasks.values()) task.source.stop();
    this.outbox.flush();
    await Promise.allSettled([...this.work]);
    await Promise.race([this.publisher.idle(), new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref())]);
    this.publisher.close();
    this.observers.close();
    this.inboxes.close();
    await this.parts.registry.close();
    // Drained (naks and acks flushed) unless the server is away: then closed after a bound.
    this.outbox.flush();
    const drained = this.parts.nc.drain().catch(() => undefined);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref())]);
    if (!this.parts.nc.isClosed()) await this.parts.nc.close().catch(() => undefined);
  }

  /**
   * Tests: drops the connection without settling anything, as a killed process would; what this
   * instance held comes back to the others after the lease.
   */
  async abandon(): Promise<void> {
    this.closed = true;
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    for (const task of this.tasks.values()) task.source.halt();
    this.publisher.close();
    await this.parts.registry.close(false);
    await this.parts.nc.close();
  }

  bindTask(spec: DispatchTaskSpec, consumer: TaskConsumer): TaskSource {
    this.broker.setTaskSubscriptions(spec.name, spec.subscribe); // validates before any change
    const existing = this.tasks.get(spec.name);
    if (existing !== undefined) {
      const old = existing.source.spec;
      existing.source.spec = spec;
      existing.source.consumer = consumer;
      if (JSON.stringify(old) !== JSON.stringify(spec)) existing.ready = this.track(ensureTask(this.parts, spec, existing, () => this.closed));
      return existing.source;
    }
    const local: LocalTask = { source: null as unknown as NatsTaskSource, ready: READY, consumer: null, stale: false };
    const source = new NatsTaskSource(spec, consumer, {
      logger: this.parts.deps.logger,
      outbox: this.outbox,
      consumer: () => (local.consumer ??= taskDurable(this.parts, local)),
      pullFailed: () => {
        local.consumer = null;
        local.stale = true;
      },
      deadLetter: (message) => this.publishConfirmed(`${message.topic}.dead`, message.data),
      droppedClosed: (message) => this.emit({ type: 'dropped', task: spec.name, pod: null, reason: 'job-finished', message }),
    });
    (local as { source: NatsTaskSource }).source = source;
    this.tasks.set(spec.name, local);
    local.ready = this.track(ensureTask(this.parts, spec, local, () => this.closed));
    return source;
  }

  unbindTask(task: string): Delivery[] {
    const local = this.tasks.get(task);
    if (local === undefined) return [];
    this.tasks.delete(task);
    const record = this.remote.get(task);
    if (record === undefined) this.broker.removeTask(task);
    else this.broker.setTaskSubscriptions(task, record.spec.subscribe);
    // The queue is the project's: what this instance held goes back for the others (nak).
    local.source.stop();
    return [];
  }

  bindPod(pod: string, task: string, arrived: () => void): TaskSource {
    const local = this.tasks.get(task);
    if (local === undefined) throw new UnknownTaskError(task, `bindPod(${pod})`);
    const spec = local.source.spec;
    // Pod-level copies come from observer traffic, which cannot hold remote publishers back: "block" degrades to a counted rejection.
    const limits = { maxQueue: spec.maxQueue, maxQueueBytes: spec.maxQueueBytes, overflow: spec.overflow === 'block' ? ('reject' as const) : spec.overflow };
    const sink = {
      dropped: (entry: Delivery) => this.emit({ type: 'dropped', task, pod, reason: 'overflow', message: entry.parcel.message }),
      rejected: (entry: Delivery) => this.emit({ type: 'rejected', task, pod, message: entry.parcel.message }),
    };
    const own = new MemorySource(task, limits, sink, this.podRoom, { admit: null, arrived }, (delivery) => void this.publishConfirmed(`${delivery.parcel.message.topic}.dead`, delivery.parcel.message.data));
    this.pods.set(pod, own);
    return own;
  }

  unbindPod(pod: string): Delivery[] {
    this.broker.removePod(pod);
    this.inboxes.removePod(pod);
    const own = this.pods.get(pod);
    if (own === undefined) return [];
    this.pods.delete(pod);
    this.noteInterest();
    return own.empty();
  }

  subscribePod(pod: string, pattern: string): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) throw new UnknownPodError(pod, `subscribe ${JSON.stringify(pattern)}`);
    const added = this.broker.subscribePod(pod, own.task, pattern);
    this.noteInterest();
    return added;
  }

  unsubscribePod(pod: string, pattern: string): boolean {
    const removed = this.broker.unsubscribePod(pod, pattern);
    this.noteInterest();
    return removed;
  }

  replayLatest(pod: string, patterns: readonly string[]): void {
    const own = this.pods.get(pod);
    if (own === undefined) return;
    const waiting = new Set<string>();
    const local = this.tasks.get(own.task);
    if (local !== undefined) for (let i = 0; i < local.source.length; i++) waiting.add((local.source.peekAt(i) as Delivery).parcel.message.id);
    this.track(
      readLatest(this.parts.jsm, this.parts.names, patterns).then((latest) => {
        if (this.pods.get(pod) !== own) return;
        let queued = false;
        for (const message of latest) {
          if (waiting.has(message.id)) continue;
          own.offer(newEntry(new Parcel(message)));
          queued = true;
        }
        if (queued) own.consumer.arrived();
      }),
    );
  }

  publish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    const { deps, settings } = this.parts;
    // Pod names are per instance: receivers see `<instance>/<pod>`.
    const sender = from === null ? null : `${settings.instance}/${from}`;
    const message: Message =
      replyTo === undefined
        ? { id: deps.newId(), topic, data, from: sender, publishedAt: deps.clock.now() }
        : { id: deps.newId(), topic, data, from: sender, publishedAt: deps.clock.now(), replyTo: { inbox: qualifyInbox(settings.instance, replyTo.inbox), ref: replyTo.ref } };
    void this.route(message);
    return !this.publisher.full;
  }

  tryPublish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    if (this.publisher.full) return false;
    this.publish(topic, data, from, replyTo);
    return true;
  }

  whenRoom(): Promise<void> {
    return this.publisher.whenRoom();
  }

  hasSubscribers(topic: string): boolean {
    return this.broker.hasSubscribers(topic) || this.taps.wants(topic);
  }

  /** Local knowledge: every task any instance registered, and this instance's pod-level subscriptions. */
  hasResponders(topic: string): boolean {
    return this.broker.hasSubscribers(topic);
  }

  openInbox(inbox: string, target: InboxTarget): void {
    this.inboxes.add(inbox, target);
  }

  closeInbox(inbox: string): void {
    this.inboxes.remove(inbox);
  }

  deliverReply(inbox: string, topic: string, data: string, from: string | null, inReplyTo: string): boolean {
    return this.inboxes.deliver(inbox, topic, data, from, inReplyTo);
  }

  latest(topic: string): Promise<Message | null> {
    return readLatestOf(this.parts.jsm, this.parts.names, topic);
  }

  answerLatest(pod: string, topic: string): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) return false;
    const { deps } = this.parts;
    const none = (): LatestAnswer => new LatestAnswer({ id: deps.newId(), topic, data: '', from: null, publishedAt: deps.clock.now() }, false);
    this.track(
      readLatestOf(this.parts.jsm, this.parts.names, topic)
        .then(
          (message) => (message === null ? none() : new LatestAnswer(message, true)),
          (error: unknown) => {
            // The pod waits for an answer: "none" with a warning rather than silence.
            deps.logger.warn({ err: error, pod, topic }, `${pod}: system.latest ${JSON.stringify(topic)} answered "none": the bus could not read it (${error instanceof Error ? error.message : String(error)})`);
            return none();
          },
        )
        .then((answer) => {
          if (this.pods.get(pod) !== own) return;
          own.enqueue(newEntry(answer));
        }),
    );
    return true;
  }

  observe(patterns: readonly string[], listener: TapListener): () => void {
    const remove = this.taps.add(patterns, listener);
    this.taps.count++;
    this.noteInterest();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      remove();
      this.taps.count--;
      this.noteInterest();
    };
  }

  /** Other instances known to have observers (tests wait on it: remote interest takes a round trip). */
  get remoteObservers(): number {
    return this.observers.remote;
  }

  /** Whether this instance has observers (taps, pod-level subscriptions), for the registry. */
  private noteInterest(): void {
    let wants = this.taps.count > 0;
    for (const pod of this.pods.keys()) if (!wants && this.broker.podSubscriptions(pod).length > 0) wants = true;
    this.observers.setLocal(wants);
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once everything started so far has happened: publishes stored, setups and replays
   * done, and every durable has delivered what this instance asked for (tests).
   */
  async settled(): Promise<void> {
    let previous = '';
    let stable = 0;
    while (stable < 3) {
      await this.latestWrites.idle();
      await this.publisher.idle();
      await Promise.allSettled([...this.work]);
      await this.parts.nc.flush();
      const snapshots = await Promise.all([...this.tasks.values()].map((t) => t.source.snapshot()));
      const now = this.publisher.pending > 0 || this.latestWrites.pending > 0 || this.work.size > 0 ? null : snapshots.join(' ');
      stable = now !== null && now === previous ? stable + 1 : 0;
      previous = now ?? '';
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Publishes on every subscribing task's stream, the latest stream and the observer subject. */
  private route(message: Message): Promise<boolean> {
    const { names } = this.parts;
    const envelope = encodeEnvelope(message);
    this.observers.publish(envelope);
    const route = this.broker.subscribersByTask(message.topic);
    const sends: Promise<boolean>[] = [];
    for (const subscribers of route) {
      if (!subscribers.taskLevel) continue;
      const local = this.tasks.get(subscribers.task);
      const spec = local?.source.spec ?? this.remote.get(subscribers.task)?.spec;
      if (spec === undefined) continue;
      const task = subscribers.task;
      sends.push(
        this.publisher.send(names.taskSubject(task), envelope, names.msgId(message.id, task), spec.overflow, local?.ready ?? READY).then((outcome) => {
          if (outcome === 'rejected') this.emit({ type: 'rejected', task, pod: null, message });
          return outcome === 'stored';
        }),
      );
    }
    this.latestWrites.write(names.latestSubject(message.topic), { envelope, id: message.id });
    return Promise.all(sends).then((stored) => stored.every(Boolean));
  }

  /** A publish from the orchestrator that resolves once every subscribing stream stored it. */
  private async publishConfirmed(topic: string, data: string): Promise<void> {
    const stored = await this.route({ id: this.parts.deps.newId(), topic, data, from: null, publishedAt: this.parts.deps.clock.now() });
    if (!stored) throw new Error(`"${topic}" was refused by a full queue`);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const done = (): void => void this.work.delete(work);
    work.then(done, done);
    return work;
  }

  private readonly onRegistered = (task: string, record: TaskRecord | null): void => {
    if (record === null) this.remote.delete(task);
    else this.remote.set(task, record);
    if (this.tasks.has(task)) return; // the local spec routes
    try {
      if (record === null) this.broker.removeTask(task);
      else this.broker.setTaskSubscriptions(task, record.spec.subscribe);
    } catch (error) {
      this.parts.deps.logger.warn({ err: error, task }, `task "${task}" registered on the bus with an invalid subscription; not routed to`);
    }
  };

  /** Observer traffic from any instance: taps, then pod-level copies for local pods. */
  private readonly onObserved = (message: Message): void => {
    this.taps.publish(message);
    if (this.pods.size === 0) return;
    let parcel: Parcel | null = null;
    for (const subscribers of this.broker.subscribersByTask(message.topic)) {
      if (subscribers.taskLevel) continue;
      for (const pod of subscribers.pods) {
        const own = this.pods.get(pod);
        if (own !== undefined) own.enqueue(newEntry((parcel ??= new Parcel(message))));
      }
    }
  };

  private emit(event: TransportEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
