import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Message, ReplyAddress } from '../../protocol/types.js';
import type { Logger } from '../../util/logger.js';
import { UnknownTaskError } from '../dispatcher/errors.js';
import { TopicBroker, type PodSubscription } from '../routing/index.js';
import type { Delivery, InboxTarget, TapListener, TaskConsumer, TaskSource, Transport, TransportDeps, TransportEvent } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { NatsInboxes } from './inboxes.js';
import { readLatestOf } from './latest.js';
import { LatestWriter } from './latest-writer.js';
import type { ProjectNames } from './names.js';
import { type LivenessContext, startRenewal, watchConnection } from './liveness.js';
import { Observers } from './observers.js';
import { Outbox } from './outbox.js';
import { PodSide } from './pod-side.js';
import { Router } from './router.js';
import { waitSettled } from './settle.js';
import type { NatsBusSettings } from './options.js';
import { JetStreamPublisher } from './publisher.js';
import { PubAcks } from './pub-acks.js';
import { qualifyInbox } from './reply-wire.js';
import type { Registry } from './registry.js';
import { TaskTable } from './task-table.js';

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

/** How long close waits for in-flight publishes and the final flush while the server is away. */
const CLOSE_FLUSH_MS = 2_000;
/** A publish the stream has not answered within this is sent again (same Nats-Msg-Id). */
const PUBLISH_TIMEOUT_MS = 5_000;

const READY: Promise<void> = Promise.resolve();

/**
 * The JetStream transport: each subscribing task's messages wait in its own stream on the server,
 * shared by every instance of the project; this instance pulls only what its pods can take.
 * Routing is ours (the same TopicBroker as in process) over the task patterns every instance
 * registers, so wildcard semantics and per-task bounds are exactly those of tasks.toml.
 * This class wires the parts: TaskTable (local and registered tasks), Router (publishes),
 * PodSide (pod queues, taps), NatsInboxes (replies), liveness (connection, lease renewal) and
 * the Outbox that coalesces their writes.
 */
export class NatsTransport implements Transport {
  readonly kind = 'nats' as const;
  private readonly broker = new TopicBroker();
  private readonly tasks: TaskTable;
  private readonly pods: PodSide;
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private readonly publisher: JetStreamPublisher;
  private readonly outbox: Outbox;
  private readonly observers: Observers;
  private readonly inboxes: NatsInboxes;
  /** Every message's retained latest copy (see LatestWriter), whether or not a task replays. */
  private readonly latestWrites: LatestWriter<{ readonly envelope: Buffer; readonly id: string }>;
  private readonly router: Router;
  /** Async work started by synchronous calls (stream setup, replays): awaited by `settled`. */
  private readonly work = new Set<Promise<unknown>>();
  private renewTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly parts: NatsTransportParts) {
    this.outbox = new Outbox((error) => parts.deps.logger.debug({ err: error }, 'bus write failed'));
    this.tasks = new TaskTable({
      parts, broker: this.broker, outbox: this.outbox, logger: parts.deps.logger, closed: () => this.closed, track: (work) => this.track(work),
      deadLetter: (message) => this.publishConfirmed(`${message.topic}.dead`, message.data),
      droppedClosed: (task, message) => this.emit({ type: 'dropped', task, pod: null, reason: 'job-finished', message }),
    });
    this.publisher = new JetStreamPublisher(new PubAcks(parts.nc, PUBLISH_TIMEOUT_MS), parts.settings.publishWindow, this.outbox, (error) => parts.deps.logger.debug({ err: error }, 'bus publish retried'));
    this.observers = new Observers(parts.nc, parts.names.observerSubject, parts.settings.instance, (wants) =>
      this.track(parts.registry.setInterest(wants).catch((error: unknown) => parts.deps.logger.warn({ err: error }, 'cannot register observer interest on the bus'))),
    );
    const { names, deps } = parts;
    this.pods = new PodSide({
      broker: this.broker, observers: this.observers, emit: (event) => this.emit(event),
      latestReads: { jsm: parts.jsm, names, logger: deps.logger, newId: deps.newId, now: () => deps.clock.now() },
      deadLetter: (message) => void this.publishConfirmed(`${message.topic}.dead`, message.data),
    });
    this.latestWrites = new LatestWriter((subject, p) => this.publisher.send(subject, p.envelope, names.msgId(p.id, '_latest'), 'drop_oldest', READY));
    this.router = new Router({
      broker: this.broker, names, publisher: this.publisher, observers: this.observers, latestWrites: this.latestWrites,
      target: (task) => this.tasks.target(task),
      emit: (event) => this.emit(event),
    });
    this.inboxes = new NatsInboxes({
      nc: parts.nc,
      instance: parts.settings.instance,
      inboxSubject: names.inboxSubject,
      newId: deps.newId,
      now: () => deps.clock.now(),
      toPod: (pod, reply) => this.pods.toPod(pod, reply),
      emit: (event) => this.emit(event),
      debug: (message, error) => deps.logger.debug({ err: error }, message),
    });
  }

  async start(): Promise<void> {
    const { nc, settings, registry } = this.parts;
    this.observers.start(this.pods.onObserved);
    this.inboxes.start();
    await registry.watch(this.tasks.onRegistered, this.observers.onInterest);
    const liveness: LivenessContext = { nc, settings, sources: () => this.tasks.sources(), emit: (event) => this.emit(event) };
    watchConnection(liveness);
    this.renewTimer = startRenewal(liveness);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    // Everything held goes back at once (nak): other instances take over without waiting a lease.
    for (const [, source] of this.tasks.sources()) source.stop();
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
    for (const [, source] of this.tasks.sources()) source.halt();
    this.publisher.close();
    await this.parts.registry.close(false);
    await this.parts.nc.close();
  }

  bindTask(spec: DispatchTaskSpec, consumer: TaskConsumer): TaskSource {
    return this.tasks.bind(spec, consumer);
  }

  unbindTask(task: string): Delivery[] {
    this.tasks.unbind(task);
    return [];
  }

  bindPod(pod: string, task: string, arrived: () => void): TaskSource {
    const source = this.tasks.get(task);
    if (source === undefined) throw new UnknownTaskError(task, `bindPod(${pod})`);
    return this.pods.bind(pod, source.spec, arrived);
  }

  unbindPod(pod: string): Delivery[] {
    this.inboxes.removePod(pod);
    return this.pods.unbind(pod);
  }

  subscribePod(pod: string, pattern: string): boolean {
    return this.pods.subscribe(pod, pattern);
  }

  unsubscribePod(pod: string, pattern: string): boolean {
    return this.pods.unsubscribe(pod, pattern);
  }

  podSubscriptions(): readonly PodSubscription[] {
    return this.broker.allPodSubscriptions();
  }

  replayLatest(pod: string, patterns: readonly string[]): void {
    const own = this.pods.get(pod);
    if (own === undefined) return;
    // What still waits in the task's buffer reaches the pod anyway.
    const waiting = new Set<string>();
    const source = this.tasks.get(own.task);
    if (source !== undefined) for (let i = 0; i < source.length; i++) waiting.add((source.peekAt(i) as Delivery).parcel.message.id);
    this.track(this.pods.replayLatest(pod, patterns, waiting));
  }

  publish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    const { deps, settings } = this.parts;
    // Pod names are per instance: receivers see `<instance>/<pod>`.
    const sender = from === null ? null : `${settings.instance}/${from}`;
    const message: Message =
      replyTo === undefined
        ? { id: deps.newId(), topic, data, from: sender, publishedAt: deps.clock.now() }
        : { id: deps.newId(), topic, data, from: sender, publishedAt: deps.clock.now(), replyTo: { inbox: qualifyInbox(settings.instance, replyTo.inbox), ref: replyTo.ref } };
    void this.router.route(message);
    return !this.publisher.full;
  }

  tryPublish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    if (this.publisher.full) return false;
    this.publish(topic, data, from, replyTo);
    return true;
  }

  redeliverTo(task: string, topic: string, data: string): boolean {
    const { deps } = this.parts;
    const sent = this.router.routeTo(task, { id: deps.newId(), topic, data, from: null, publishedAt: deps.clock.now() });
    if (sent === false) return false;
    this.track(sent);
    return true;
  }

  whenRoom(): Promise<void> {
    return this.publisher.whenRoom();
  }

  hasSubscribers(topic: string): boolean {
    return this.broker.hasSubscribers(topic) || this.pods.tapped(topic);
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
    const read = this.pods.answerLatest(pod, topic);
    if (read !== null) this.track(read);
    return read !== null;
  }

  observe(patterns: readonly string[], listener: TapListener): () => void {
    return this.pods.observe(patterns, listener);
  }

  /** Other instances known to have observers (tests wait on it: remote interest takes a round trip). */
  get remoteObservers(): number {
    return this.observers.remote;
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
    await waitSettled({ nc: this.parts.nc, publisher: this.publisher, latestWrites: this.latestWrites, work: this.work, sources: () => [...this.tasks.sources()].map(([, source]) => source) });
  }

  /** A publish from the orchestrator that resolves once every subscribing stream stored it. */
  private publishConfirmed(topic: string, data: string): Promise<void> {
    return this.router.publishConfirmed({ id: this.parts.deps.newId(), topic, data, from: null, publishedAt: this.parts.deps.clock.now() });
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const done = (): void => void this.work.delete(work);
    work.then(done, done);
    return work;
  }

  private emit(event: TransportEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
