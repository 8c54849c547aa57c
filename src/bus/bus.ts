import type { Message } from '../protocol/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { messageIds } from './dispatcher/message-ids.js';
import { PublisherInlet, type InletFlow, type PublishCount } from './dispatcher/publisher-inlet.js';
import { TopicDispatcher } from './dispatcher/topic-dispatcher.js';
import { createMemoryTransport } from './memory/memory-transport.js';
import { localInboxes, request, type RequestDeps, type RequestOutcome } from './replies/requests.js';
import type { PodSubscription } from './routing/topic-broker.js';
import type { QueueDepth, Transport, TransportNotice } from './transport.js';
import type { DispatcherEvent, DispatcherStats, DispatchTaskSpec, PodEndpoint } from './types.js';

export type { DispatcherEvent as BusEvent, DispatcherStats as BusStats, DispatchTaskSpec, PodEndpoint } from './types.js';
export type { TaskStats, PodStats, DropReason } from './types.js';
export type { InletFlow, PublishCount, PublishCounter } from './dispatcher/publisher-inlet.js';
export type { RequestOutcome } from './replies/requests.js';
export type { QueueDepth, TransportNotice as BusNotice } from './transport.js';
/** Whether a subscribe pattern matches a topic (for views that list a topic's subscribers). */
export { matchTopic } from './routing/topic-pattern.js';

/** One publisher that can be paused (a pod's stdout): see `Bus.publisher`. */
export interface Publisher {
  /**
   * `inReplyTo`: the id a `<X>.result` reply names (json stdout), null for "the oldest". `ref`: a
   * requester's own name for the message (a json line's `id`), echoed as its reply's `in_reply_to`.
   */
  publish(topic: string, data: string, inReplyTo?: string | null, ref?: string | null): void;
  /** Messages read but not yet accepted by a full "block" queue. */
  readonly pending: number;
  /** The stream ended: what is held is still published, reading is never resumed. */
  close(): void;
}

/** A local requester's publisher: its messages carry `replyTo.inbox` = `inbox`. */
export interface Requester extends Publisher {
  readonly inbox: string;
}

/**
 * The message bus as the rest of the program sees it: where tasks' messages wait and which local
 * pod gets them. Nothing outside src/bus/ imports a concrete broker or dispatcher class; the
 * delivery guarantees are in docs/protocol.md.
 */
export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Connects the transport (a no-op in memory). Pods are started only after it resolved. */
  start(): Promise<void>;
  /** The run ended: nothing is delivered any more. */
  close(): Promise<void>;
  /** Adds or updates a task; an update keeps its queue, pods and in-flight messages. Throws InvalidTopicPatternError. */
  configureTask(spec: DispatchTaskSpec): void;
  /** Forgets a task: its still-queued messages are dropped (one `dropped` event each). */
  removeTask(task: string): void;
  /** A finished job reads no more: what is queued for it and what arrives later is dropped (reason `job-finished`). */
  closeTask(task: string): void;
  /** Undoes `closeTask` (a pod of the job starts again). */
  openTask(task: string): void;
  /** Closed by `closeTask` and not reopened since; false for a task the bus does not know. */
  isClosed(task: string): boolean;
  podReady(pod: PodEndpoint): void;
  /** The pod's stdin drained after a write reported backpressure. */
  podWritable(pod: string): void;
  /** Stops sending to the pod; resolves when it holds nothing unacknowledged. */
  drainPod(pod: string): Promise<void>;
  /** The pod is gone: what it held is redelivered or dead-lettered, its own subscriptions dropped. */
  podGone(pod: string): void;
  /** A pod-level subscription (`"system.subscribe": pattern`). Throws InvalidTopicPatternError / UnknownPodError. */
  subscribePod(pod: string, pattern: string): void;
  unsubscribePod(pod: string, pattern: string): boolean;
  /** Every pod-level subscription of this instance's pods (views). */
  podSubscriptions(): readonly PodSubscription[];
  /**
   * Publishes from the orchestrator or the control API (`from` null) or a pod. The message is
   * always accepted; false means a "block" queue is full: pause this publisher until `whenRoom()`.
   */
  publish(topic: string, data: string, from: string | null): boolean;
  /**
   * A dead letter's retry: a new message on `topic` (from the orchestrator) for `task` alone,
   * never for the other tasks that subscribe to the topic (see Transport.redeliverTo). False when
   * the bus knows no such task.
   */
  redeliverTo(task: string, topic: string, data: string): boolean;
  /**
   * A pod's way onto the bus: replies acknowledge as they are read; what a full "block" queue
   * refuses waits in order while `flow` is paused, so such queues never pass their bounds.
   */
  publisher(from: string, flow: InletFlow, options?: PublisherOptions): Publisher;
  /**
   * A publisher for the orchestrator itself (from null) that is a requester (pipeline mode): every
   * message carries its inbox, and the replies that acknowledge them are passed to `onReply`
   * (`inReplyTo` = the `ref` given to publish, else the message id). Closing it closes the inbox.
   */
  requester(flow: InletFlow, onReply: (reply: Message) => void): Requester;
  /** Publishes `data` on `topic` from the orchestrator and waits for the one reply (see RequestOutcome). */
  request(topic: string, data: string, timeoutMs: number): Promise<RequestOutcome>;
  /** The retained latest message of `topic`, null when there is none. */
  latest(topic: string): Promise<Message | null>;
  /** `"system.latest": topic` from a ready pod: its answer is queued for that pod (false: the pod is not ready). */
  answerLatest(pod: string, topic: string): boolean;
  /** Any task or pod (a tap does not count) subscribes to the topic. */
  hasResponders(topic: string): boolean;
  /** Resolves once no "block" queue is at capacity. */
  whenRoom(): Promise<void>;
  /** Any task, pod or tap wants the topic (optional streams are produced only then). */
  hasSubscribers(topic: string): boolean;
  /** Sees every message published on a topic matching `patterns`, at most once, never held. Throws InvalidTopicPatternError. */
  tap(patterns: readonly string[], listener: (message: Message) => void): () => void;
  stats(): DispatcherStats;
  /** Messages not fully handled yet: queued plus unacknowledged. */
  pending(): number;
  /**
   * Per task, queued and unacknowledged messages across every instance (NATS: read from the
   * server, so poll it, e.g. for --exit-on-complete and `orchestrator tasks`); in process the
   * same numbers as stats().
   */
  depth(): Promise<Readonly<Record<string, QueueDepth>>>;
  onEvent(listener: (event: DispatcherEvent) => void): () => void;
  /** Messages wait in `task`'s queue that none of its ready pods can take now (an autoscaled pool grows on it). */
  onWaiting(listener: (task: string) => void): () => void;
  /** Connection changes and lost leases of a networked transport (never in process). */
  onNotice(listener: (notice: TransportNotice) => void): () => void;
}

export interface PublisherOptions {
  /** The pod's task has `receive_replies`: the replies to what this pod run publishes come back to its stdin. */
  readonly receiveReplies?: boolean;
  /** Counts every message the publisher reads, before it is published (the run's topics view). */
  readonly count?: PublishCount;
}

export interface BusDeps {
  /** Where messages wait (see create-transport.ts); default: the in-process transport on `clock` and `newId`. */
  readonly transport?: Transport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A unique message id per call, for the default transport; default: a process-unique counter (messageIds). */
  newId?(): string;
  /** Each acknowledgement: its task and the ms from publish to ack (see DispatcherDeps.onAck). */
  onAck?(task: string, latencyMs: number): void;
}

/** The bus: one dispatcher over the transport (in-process unless `deps.transport` says otherwise). */
export function createBus(deps: BusDeps): Bus {
  const transport = deps.transport ?? createMemoryTransport({ clock: deps.clock, newId: deps.newId ?? messageIds() });
  const listeners = new Set<(event: DispatcherEvent) => void>();
  // One inbox per requester: a pod run ("<pod>#<n>") or a local requester ("@request-<n>").
  let podRuns = 0;
  const localInbox = localInboxes('request');
  const requestDeps: RequestDeps = {
    clock: deps.clock,
    hasResponders: (topic) => transport.hasResponders(topic),
    openInbox: (inbox, target) => transport.openInbox(inbox, target),
    closeInbox: (inbox) => transport.closeInbox(inbox),
    publish: (topic, data, replyTo) => void dispatcher.publish(topic, data, null, replyTo),
  };
  const waiting = new Set<(task: string) => void>();
  const dispatcher = new TopicDispatcher(transport, {
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.onAck === undefined ? {} : { onAck: deps.onAck }),
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
    onWaiting: (task) => {
      for (const listener of waiting) listener(task);
    },
  });
  return {
    kind: transport.kind,
    start: () => transport.start(),
    close: () => transport.close(),
    configureTask: (spec) => dispatcher.configureTask(spec),
    removeTask: (task) => dispatcher.removeTask(task),
    closeTask: (task) => dispatcher.closeTask(task),
    openTask: (task) => dispatcher.openTask(task),
    isClosed: (task) => dispatcher.isClosed(task),
    podReady: (pod) => dispatcher.podReady(pod),
    podWritable: (pod) => dispatcher.podWritable(pod),
    drainPod: (pod) => dispatcher.drainPod(pod),
    podGone: (pod) => dispatcher.podGone(pod),
    subscribePod: (pod, pattern) => dispatcher.subscribePod(pod, pattern),
    unsubscribePod: (pod, pattern) => dispatcher.unsubscribePod(pod, pattern),
    podSubscriptions: () => transport.podSubscriptions(),
    publish: (topic, data, from) => dispatcher.publish(topic, data, from),
    redeliverTo: (task, topic, data) => transport.redeliverTo(task, topic, data),
    publisher: (from, flow, options) => {
      const count = options?.count ?? null;
      if (options?.receiveReplies !== true) return new PublisherInlet(dispatcher, from, flow, null, null, count);
      const inbox = `${from}#${++podRuns}`;
      transport.openInbox(inbox, { kind: 'pod', pod: from });
      return new PublisherInlet(dispatcher, from, flow, inbox, () => transport.closeInbox(inbox), count);
    },
    requester: (flow, onReply) => {
      const inbox = localInbox();
      transport.openInbox(inbox, { kind: 'listener', listener: onReply });
      const inlet = new PublisherInlet(dispatcher, null, flow, inbox, () => transport.closeInbox(inbox));
      return Object.assign(inlet, { inbox });
    },
    request: (topic, data, timeoutMs) => request(requestDeps, localInbox(), topic, data, timeoutMs),
    latest: (topic) => transport.latest(topic),
    answerLatest: (pod, topic) => transport.answerLatest(pod, topic),
    hasResponders: (topic) => transport.hasResponders(topic),
    whenRoom: () => dispatcher.whenRoom(),
    hasSubscribers: (topic) => transport.hasSubscribers(topic),
    tap: (patterns, listener) => transport.observe(patterns, listener),
    stats: () => dispatcher.stats(),
    pending: () => dispatcher.inFlightOrQueued(),
    depth: () => dispatcher.depth(),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onWaiting: (listener) => {
      waiting.add(listener);
      return () => waiting.delete(listener);
    },
    onNotice: (listener) =>
      transport.onEvent((event) => {
        if (event.type === 'connection' || event.type === 'lease-lost') listener(event);
      }),
  };
}
