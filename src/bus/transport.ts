import type { Message, ReplyAddress } from '../protocol/types.js';
import type { Clock } from '../util/clock.js';
import type { Parcel } from './routing/parcel.js';
import type { PodSubscription } from './routing/topic-broker.js';
import type { Transit } from './routing/transit.js';
import type { DispatcherEvent, DispatchTaskSpec } from './types.js';

/**
 * The seam between where a task's messages wait (a Transport) and which local pod gets them (the
 * dispatcher, one implementation for every transport).
 *
 * A Transport owns: routing over task and pod-level subscriptions, the bounded per-task and
 * per-pod queues and their overflow policy, exact admission for publishers that can wait, the
 * retained latest message per topic, API taps, and backpressure towards publishers (`whenRoom`).
 * The dispatcher owns: delivery policies, what each pod holds, `.result` acknowledgements, ack
 * timeouts, redelivery versus dead letter, drain and stdin backpressure. It reads each queue
 * through a TaskSource and tells it after every pump how much more it could take (`want`).
 */

/**
 * One message waiting for, or held by, a local pod of one task. Settled exactly once through its
 * TaskSource (ack, retry or dead letter). In memory it is the queue entry itself, so a delivery
 * costs no allocation beyond the entry.
 */
export interface Delivery {
  /** The message and its stdin encodings, shared by every task and pod it fans out to. */
  readonly parcel: Parcel;
  /** 1-based number of the next (or current, while held) delivery; `retry` increments it. */
  attempt: number;
  /** Dispatcher bookkeeping: epoch ms of the current delivery; 0 when ack timeouts are off. */
  deliveredAt: number;
  /** Dispatcher bookkeeping: an ack-timeout event was already emitted for the current delivery. */
  timedOut: boolean;
}

/** How a transport hands a task's deliveries to the dispatcher. Called synchronously; must not throw. */
export interface TaskConsumer {
  /**
   * A delivery is about to be queued: false means the dispatcher took it (it cannot ever be
   * delivered in the task's stdin format and was dead-lettered), so it is not queued. Null when
   * every delivery is admitted (most tasks: this saves a call per message).
   */
  readonly admit: ((delivery: Delivery) => boolean) | null;
  /** Something was queued: the dispatcher pumps. */
  arrived(): void;
  /**
   * The way past an empty queue (used by the in-process transport; absent or null: always queue).
   * Called instead of queueing a published message while the task's queue is empty: true means
   * the dispatcher delivered it now, exactly as its pump would have taken it at once from the
   * queue; false means it cannot (no pod can take it now, or the task needs the message as an
   * object), and the transport queues it as usual. `transit` is valid only during the call.
   */
  readonly takeNow?: ((transit: Transit) => boolean) | null;
}

/** A task's queue (or one pod's own queue) as this instance sees it. */
export interface TaskSource {
  /** Deliveries here now, in order. */
  readonly length: number;
  /**
   * Messages waiting for the task as this instance knows them, for stats: memory `length`; NATS
   * the server's count at its last read (waiting, or held by another instance) plus `length`.
   */
  readonly queued: number;
  peek(): Delivery | undefined;
  shift(): Delivery | undefined;
  /**
   * Called after every pump. `slots()` says how many more deliveries the local pods could take
   * now (free slots of accepting, writable pods): a transport that fetches asks it; the same
   * function is passed every time (no allocation per call). Memory: never asks, only wakes
   * blocked publishers once the queue has room again.
   */
  want(slots: () => number): void;
  /** Acknowledged (`.result`, round_robin): done with it. */
  ack(delivery: Delivery): void;
  /**
   * Held by a pod that went: back at the front in their order, attempt + 1, ahead of new
   * messages. Never refused by overflow. Does not call `arrived`: the dispatcher pumps after.
   */
  retry(deliveries: readonly Delivery[]): void;
  /** Republishes it on `<topic>.dead` (from the orchestrator) and forgets it. */
  deadLetter(delivery: Delivery): void;
  /**
   * The task reads no more (a finished job): returns what is queued (the caller reports each as
   * dropped); what arrives until `open()` is dropped with reason `job-finished`.
   */
  close(): Delivery[];
  open(): void;
  /**
   * Where the queue lives elsewhere (NATS): its cluster-wide numbers, read from the server. Null
   * when this instance's own numbers are the whole truth (memory); not for the hot path.
   */
  depth(): Promise<QueueDepth> | null;
}

/** A task's queue across every instance: waiting, and delivered but not yet acknowledged. */
export interface QueueDepth {
  readonly queued: number;
  readonly inFlight: number;
}

/** Where an inbox's replies go (see `Transport.openInbox`). */
export type InboxTarget =
  | { readonly kind: 'pod'; readonly pod: string }
  | { readonly kind: 'listener'; readonly listener: (reply: Message) => void };

/** Observer of everything published on matching topics: at most once, never held, never blocking. */
export type TapListener = (message: Message) => void;

/**
 * What a networked transport reports about itself (Bus.onNotice): its connection to the server
 * (`server` is the redacted URL), and a message whose lease ran out while a local pod held it
 * (another instance may get it too: at-least-once).
 */
export type TransportNotice =
  | { readonly type: 'connection'; readonly state: 'connected' | 'disconnected' | 'reconnecting' | 'reconnected'; readonly server: string }
  | { readonly type: 'lease-lost'; readonly task: string; readonly message: Message };

/** What a transport reports itself; the dispatcher counts drops and rejections and passes them on as bus events. */
export type TransportEvent = Extract<DispatcherEvent, { type: 'dropped' | 'rejected' }> | TransportNotice;

export interface TransportDeps {
  /** `Message.publishedAt`. */
  readonly clock: Clock;
  /** A unique message id per call. */
  newId(): string;
}

export interface Transport {
  readonly kind: 'memory' | 'nats';
  /** Connects (a no-op in memory). Nothing is published or bound before it resolved. */
  start(): Promise<void>;
  /** Nothing is queued or delivered any more. */
  close(): Promise<void>;

  /**
   * Adds the task's queue and subscriptions, or updates them (subscriptions, limits, overflow;
   * the queue and its pods' queues are kept, `consumer` replaces the previous one). Validates
   * every pattern first: throws InvalidTopicPatternError before changing anything.
   */
  bindTask(spec: DispatchTaskSpec, consumer: TaskConsumer): TaskSource;
  /** Forgets the task: returns its still-queued deliveries (the caller reports each as dropped). */
  unbindTask(task: string): Delivery[];
  /**
   * The pod's own queue (pod-level subscriptions, replayed latest messages), bounded like its
   * task's (whose limits it follows on `bindTask`). `arrived` is called after something was queued.
   */
  bindPod(pod: string, task: string, arrived: () => void): TaskSource;
  /** Drops the pod's subscriptions and queue: returns what was still queued for it (dropped). */
  unbindPod(pod: string): Delivery[];
  /**
   * A pod-level subscription of a bound pod; false when it had it already. A pod never gets a
   * pod-level copy of a topic its task subscribes to. Throws InvalidTopicPatternError.
   */
  subscribePod(pod: string, pattern: string): boolean;
  unsubscribePod(pod: string, pattern: string): boolean;
  /** The pod-level subscriptions of the pods bound here (for views: `GET /v1/topics`). */
  podSubscriptions(): readonly PodSubscription[];
  /**
   * Queues for the pod the retained latest message of each topic matching `patterns`, least
   * recently updated first, except those still waiting in its task's queue. Calls no `arrived`.
   */
  replayLatest(pod: string, patterns: readonly string[]): void;

  /**
   * Publishes to every subscribing task and pod. Always accepted (overflow applies per queue);
   * false means a queue with overflow = "block" is now at capacity: pause this publisher until
   * `whenRoom()`.
   */
  publish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean;
  /**
   * For a publisher that can wait: publishes only when every "block" queue the message would
   * enter has room for it, so such a publisher never takes a queue past its bounds; false means
   * nothing happened (keep it, offer it again once `whenRoom()` resolved).
   */
  tryPublish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean;
  /** Resolves once no "block" queue is at capacity (at once when none is). */
  whenRoom(): Promise<void>;
  /**
   * Queues a new message (a new id, `from` null, attempt 1) for `task` alone, as its dead-letter
   * retry: no other subscribing task, no pod-level subscription, no tap and no retained latest
   * sees it (it is not a publish), and a broadcast task's pods each get it once, as any of its
   * messages. Overflow applies as to a publish from the orchestrator (never paused). False when
   * the transport knows no such task (nothing is queued).
   */
  redeliverTo(task: string, topic: string, data: string): boolean;
  /** Any task, pod or tap wants the topic. */
  hasSubscribers(topic: string): boolean;
  /** Any task or pod (not a tap) subscribes to the topic: someone could answer a request on it. */
  hasResponders(topic: string): boolean;

  /**
   * Replies addressed to `inbox` (`Message.replyTo.inbox`) go to `target` from now on: the own
   * queue of a pod bound here (one pod run: the inbox closes with it, and `unbindPod` closes every
   * inbox of the pod), or a local listener (a request waiting in this process).
   */
  openInbox(inbox: string, target: InboxTarget): void;
  closeInbox(inbox: string): void;
  /**
   * Delivers one reply to its requester: a Message on `topic` from `from` with `inReplyTo`, queued
   * for the inbox's pod (its own queue, which calls `arrived`) or given to its listener. Exactly one
   * copy, only there. False when no such inbox is open (its pod run ended): nothing is delivered and
   * the caller counts the drop. A networked transport sends it to the instance that opened the
   * inbox, which then drops it (a `dropped` event, reason `requester-gone`) if the inbox closed.
   */
  deliverReply(inbox: string, topic: string, data: string, from: string | null, inReplyTo: string): boolean;
  /** The retained latest message of `topic`, null when there is none (bounded as for replay). */
  latest(topic: string): Promise<Message | null>;
  /**
   * Queues for the bound pod, in its own queue, the answer to `"system.latest": topic`: the
   * retained latest message or "none" (LatestAnswer), then calls its `arrived`. False when the pod
   * is not bound.
   */
  answerLatest(pod: string, topic: string): boolean;
  /** Throws InvalidTopicPatternError. Returns the function that removes the tap. */
  observe(patterns: readonly string[], listener: TapListener): () => void;
  /** Called synchronously for each event; returns the function that removes the listener. */
  onEvent(listener: (event: TransportEvent) => void): () => void;
}
