import type { Message, ReplyAddress } from '../../protocol/types.js';
import { UnknownPodError, UnknownTaskError } from '../dispatcher/errors.js';
import { compilePattern, LatestAnswer, matchCompiled, newEntry, Parcel, TopicBroker, Transit, type PodSubscription, type SubscriberRoute } from '../routing/index.js';
import type { Delivery, InboxTarget, TapListener, TaskConsumer, TaskSource, Transport, TransportDeps, TransportEvent } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { refusingQueue, RouteQueues } from './admission.js';
import { MemorySource } from './memory-source.js';
import { RetainedStore, type RetainedLimits } from './retained-store.js';
import { RoomGate } from './room-gate.js';
import { Taps } from './taps.js';
import type { OverflowSink } from './task-queue.js';

export interface MemoryTransportOptions {
  readonly retained?: Partial<RetainedLimits>;
  /** Most topics whose route is cached (see TopicBroker). */
  readonly maxCachedRoutes?: number;
}

/**
 * The in-process transport: every queue lives in this process.
 *
 * Invariants (with TaskQueue's own):
 * - a message accepted into a queue leaves it only by being taken by the dispatcher, or by a
 *   reported `dropped` / `rejected` (overflow policy, task closed or unbound, pod unbound);
 * - fan-out is all or nothing for `tryPublish` (admission is checked on every queue first) and
 *   one-pass for `publish`: per message at most one Message and one Parcel, made only when a
 *   queue keeps it (a task whose queue is empty and whose pods take it now gets its text, see
 *   `TaskConsumer.takeNow`), a tap or a reply address needs it; one entry per receiving queue, no
 *   timers, no JSON;
 * - each queue is FIFO; `retry` puts deliveries back at the front in their original order;
 * - a pod never gets a pod-level copy of a topic its task subscribes to (the route says so);
 * - everything is synchronous: a publish has reached every queue (and been pumped) on return.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  private readonly broker: TopicBroker;
  private readonly retained: RetainedStore;
  private readonly taps = new Taps();
  /** The message being published, for `takeNow` (reset per message, see Transit). */
  private readonly transit = new Transit();
  private readonly room = new RoomGate();
  private readonly tasks = new Map<string, MemorySource>();
  /** The task queues of the last route (forgotten whenever `tasks` changes). */
  private readonly routeQueues = new RouteQueues(this.tasks);
  private readonly pods = new Map<string, MemorySource>();
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  /** Open requester inboxes (see openInbox); empty in runs without requests. */
  private readonly inboxes = new Map<string, InboxTarget>();

  constructor(
    private readonly deps: TransportDeps,
    options: MemoryTransportOptions = {},
  ) {
    this.broker = new TopicBroker(options.maxCachedRoutes === undefined ? {} : { maxCachedRoutes: options.maxCachedRoutes });
    this.retained = new RetainedStore(options.retained, () => deps.newId());
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  bindTask(spec: DispatchTaskSpec, consumer: TaskConsumer): TaskSource {
    this.broker.setTaskSubscriptions(spec.name, spec.subscribe); // validates before any change
    const existing = this.tasks.get(spec.name);
    if (existing === undefined) {
      const queue = new MemorySource(spec.name, spec, this.overflowSink(spec.name, null), this.room, consumer, this.deadLetter);
      this.tasks.set(spec.name, queue);
      this.routeQueues.forget();
      return queue;
    }
    existing.consumer = consumer;
    existing.setLimits(spec);
    for (const own of this.pods.values()) if (own.task === spec.name) own.setLimits(spec);
    return existing;
  }

  unbindTask(task: string): Delivery[] {
    const queue = this.tasks.get(task);
    if (queue === undefined) return [];
    this.tasks.delete(task);
    this.routeQueues.forget();
    this.broker.removeTask(task);
    return queue.empty();
  }

  bindPod(pod: string, task: string, arrived: () => void): TaskSource {
    const queue = this.tasks.get(task);
    if (queue === undefined) throw new UnknownTaskError(task, `bindPod(${pod})`);
    const own = new MemorySource(task, queue, this.overflowSink(task, pod), this.room, { admit: null, arrived }, this.deadLetter);
    this.pods.set(pod, own);
    return own;
  }

  unbindPod(pod: string): Delivery[] {
    this.broker.removePod(pod);
    if (this.inboxes.size > 0) for (const [inbox, target] of this.inboxes) if (target.kind === 'pod' && target.pod === pod) this.inboxes.delete(inbox);
    const own = this.pods.get(pod);
    if (own === undefined) return [];
    this.pods.delete(pod);
    return own.empty();
  }

  subscribePod(pod: string, pattern: string): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) throw new UnknownPodError(pod, `subscribe ${JSON.stringify(pattern)}`);
    return this.broker.subscribePod(pod, own.task, pattern);
  }

  unsubscribePod(pod: string, pattern: string): boolean {
    return this.broker.unsubscribePod(pod, pattern);
  }

  podSubscriptions(): readonly PodSubscription[] {
    return this.broker.allPodSubscriptions();
  }

  replayLatest(pod: string, patterns: readonly string[]): void {
    const own = this.pods.get(pod);
    if (own === undefined) return;
    const latest = this.latestMatching(patterns);
    if (latest.length === 0) return;
    const waiting = new Set<string>();
    const queue = this.tasks.get(own.task);
    if (queue !== undefined) for (const entry of queue) waiting.add(entry.parcel.message.id);
    for (const message of latest) if (!waiting.has(message.id)) own.offer(newEntry(new Parcel(message)));
  }

  publish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    return this.deliver(this.broker.subscribersByTask(topic), topic, data, from, replyTo);
  }

  tryPublish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    const route = this.broker.subscribersByTask(topic);
    if (route.length > 0) {
      const full = refusingQueue(route, this.routeQueues.of(route), this.pods, topic.length + data.length);
      if (full !== null) {
        this.room.note(full);
        return false;
      }
    }
    this.deliver(route, topic, data, from, replyTo);
    return true;
  }

  /**
   * `publish` along the topic's route (looked up once per message by the caller). A task whose
   * queue is empty is first offered the message to write at once (`takeNow`, the `transit`); only
   * what a queue has to keep, or a tap or a reply address needs, becomes a Message and a Parcel.
   */
  private deliver(route: SubscriberRoute, topic: string, data: string, from: string | null, replyTo: ReplyAddress | undefined): boolean {
    const publishedAt = this.deps.clock.now();
    // A tap or a reply address needs the message as an object at once; then no task takes it past its queue.
    let parcel: Parcel | null = null;
    let version = 0;
    if (replyTo !== undefined || this.taps.size > 0) {
      const message = this.message(topic, data, from, publishedAt, replyTo);
      this.retained.retain(message);
      this.taps.publish(message);
      if (route.length === 0) return true;
      parcel = new Parcel(message, fansOut(route));
    } else {
      version = this.retained.retainText(topic, data, from, publishedAt);
      if (!this.settling) {
        this.settling = true;
        queueMicrotask(this.settleRetained);
      }
      if (route.length === 0) return true;
      this.transit.reset(topic, data);
    }
    const offer = parcel === null;
    const queues = this.routeQueues.of(route);
    let room = true;
    for (let i = 0; i < route.length; i++) {
      const queue = queues[i];
      if (queue === undefined) continue;
      const subscribers = route[i]!;
      if (subscribers.taskLevel) {
        if (queue.closed) {
          parcel ??= this.parcel(route, topic, data, from, publishedAt, version);
          this.emit({ type: 'dropped', task: queue.task, pod: null, reason: 'job-finished', message: parcel.message });
          continue;
        }
        const take = offer && queue.length === 0 ? queue.consumer.takeNow : undefined;
        if (take !== undefined && take !== null && take(this.transit)) continue;
        parcel ??= this.parcel(route, topic, data, from, publishedAt, version);
        if (!queue.enqueue(newEntry(parcel))) room = false;
        continue;
      }
      for (const pod of subscribers.pods) {
        const own = this.pods.get(pod);
        if (own === undefined) continue;
        parcel ??= this.parcel(route, topic, data, from, publishedAt, version);
        if (!own.enqueue(newEntry(parcel))) room = false;
      }
    }
    return room;
  }

  /** The message as an object, for what must keep it: retained with it (see RetainedStore.attach). */
  private parcel(route: SubscriberRoute, topic: string, data: string, from: string | null, publishedAt: number, version: number): Parcel {
    const message = this.message(topic, data, from, publishedAt, undefined);
    this.retained.attach(version, message);
    return new Parcel(message, fansOut(route));
  }

  private message(topic: string, data: string, from: string | null, publishedAt: number, replyTo: ReplyAddress | undefined): Message {
    return replyTo === undefined
      ? { id: this.deps.newId(), topic, data, from, publishedAt }
      : { id: this.deps.newId(), topic, data, from, publishedAt, replyTo };
  }

  redeliverTo(task: string, topic: string, data: string): boolean {
    const queue = this.tasks.get(task);
    if (queue === undefined) return false;
    const message = this.message(topic, data, null, this.deps.clock.now(), undefined);
    if (queue.closed) this.emit({ type: 'dropped', task, pod: null, reason: 'job-finished', message });
    else queue.enqueue(newEntry(new Parcel(message)));
    return true;
  }

  whenRoom(): Promise<void> {
    return this.room.whenRoom();
  }

  hasSubscribers(topic: string): boolean {
    return this.broker.hasSubscribers(topic) || this.taps.wants(topic);
  }

  hasResponders(topic: string): boolean {
    return this.broker.hasSubscribers(topic);
  }

  openInbox(inbox: string, target: InboxTarget): void {
    this.inboxes.set(inbox, target);
  }

  closeInbox(inbox: string): void {
    this.inboxes.delete(inbox);
  }

  deliverReply(inbox: string, topic: string, data: string, from: string | null, inReplyTo: string): boolean {
    const target = this.inboxes.get(inbox);
    if (target === undefined) return false;
    const message: Message = { id: this.deps.newId(), topic, data, from, publishedAt: this.deps.clock.now(), inReplyTo };
    if (target.kind === 'listener') {
      target.listener(message);
      return true;
    }
    const own = this.pods.get(target.pod);
    if (own === undefined) return false;
    own.enqueue(newEntry(new Parcel(message)));
    return true;
  }

  latest(topic: string): Promise<Message | null> {
    return Promise.resolve(this.retained.latest(topic) ?? null);
  }

  answerLatest(pod: string, topic: string): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) return false;
    const retained = this.retained.latest(topic);
    const answer =
      retained === undefined
        ? new LatestAnswer({ id: this.deps.newId(), topic, data: '', from: null, publishedAt: this.deps.clock.now() }, false)
        : new LatestAnswer(retained, true);
    own.enqueue(newEntry(answer));
    return true;
  }

  observe(patterns: readonly string[], listener: TapListener): () => void {
    return this.taps.add(patterns, listener);
  }

  onEvent(listener: (event: TransportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The retained latest message of `topic` (tests and diagnostics). */
  latestNow(topic: string): Message | undefined {
    return this.retained.latest(topic);
  }

  /** Number of retained topics (bounded, see RetainedStore). */
  get retainedTopics(): number {
    return this.retained.size;
  }

  /** Retained latest messages of every topic matching any of `patterns`, oldest-updated first. */
  latestMatching(patterns: readonly string[]): Message[] {
    if (patterns.length === 0) return [];
    const compiled = patterns.map(compilePattern);
    return this.retained.select((topic) => compiled.some((p) => matchCompiled(p, topic)));
  }

  /** Once per turn of publishing: the retained data stops pinning its stdout chunk (RetainedStore.settle). */
  private settling = false;
  private readonly settleRetained = (): void => {
    this.settling = false;
    this.retained.settle();
  };

  private readonly deadLetter = (delivery: Delivery): void => {
    const message = delivery.parcel.message;
    this.publish(`${message.topic}.dead`, message.data, null);
  };

  private overflowSink(task: string, pod: string | null): OverflowSink {
    return {
      dropped: (entry) => this.emit({ type: 'dropped', task, pod, reason: 'overflow', message: entry.parcel.message }),
      rejected: (entry) => this.emit({ type: 'rejected', task, pod, message: entry.parcel.message }),
    };
  }

  private emit(event: TransportEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** The route has more than one queue: the message's pods share one encoded Buffer (see Parcel). */
function fansOut(route: SubscriberRoute): boolean {
  if (route.length !== 1) return route.length > 1;
  const only = route[0] as SubscriberRoute[number];
  return only.pods.length > (only.taskLevel ? 0 : 1);
}

/** The in-process transport (the default). */
export function createMemoryTransport(deps: TransportDeps, options?: MemoryTransportOptions): MemoryTransport {
  return new MemoryTransport(deps, options);
}
