import type { TopicBroker } from '../routing/topic-broker.js';
import { InvalidTopicPatternError } from '../routing/errors.js';
import { isReservedTopic } from '../../protocol/topic.js';
import type { Message } from '../../protocol/types.js';
import { refusingQueue } from '../memory/admission.js';
import { createDeliveryPolicy } from './delivery-policy.js';
import { UnknownPodError, UnknownTaskError } from './errors.js';
import { InFlight } from './in-flight.js';
import { newEntry, Parcel, type QueueEntry } from '../routing/parcel.js';
import { DeliveryPod } from './delivery-pod.js';
import { RoomGate } from '../memory/room-gate.js';
import { lineProblem, partitionRedelivery, pumpOwn, pumpTask, type Undeliverable } from './pump.js';
import { TaskQueue, type OverflowSink } from '../memory/task-queue.js';
import { collectStats, createTaskState, type TaskState } from './task-state.js';
import type {
  DispatcherDeps,
  DispatcherEvent,
  DispatcherStats,
  DispatchTaskSpec,
  DropReason,
  PodEndpoint,
} from '../types.js';

const RESULT_SUFFIX = '.result';

/**
 * Per-task bounded FIFO queues and their delivery to pods. The guarantees users rely on are in
 * docs/protocol.md ("Delivery guarantees", "Queue limits"); the invariants below keep them.
 *
 * Flow: `publish` → (ack, if `<X>.result` from a pod) → broker route → one entry per subscribing
 * task queue (or per pod, for pod-level subscriptions) → pump: the task's DeliveryPolicy picks
 * recipients among its ready pods → bytes written to their stdin.
 *
 * Invariants:
 * - a message accepted into a queue leaves it only by delivery, by a counted `dropped`/`rejected`
 *   event (overflow policy, task removal, pod-level delivery whose pod is gone) or, after
 *   `max_deliveries` unacknowledged deliveries (or at once, when it cannot be one `payload` line of
 *   a round_robin task), by republication on `<topic>.dead`;
 * - a pod is never written to while not writable, and never holds more than `concurrency`
 *   unacknowledged messages;
 * - each queue is FIFO, redeliveries go back to its front in their original order, so one
 *   publisher's messages reach a given pod in publish order (redeliveries excepted). Task-level and
 *   pod-level deliveries to the same pod are two separate FIFO streams;
 * - a pod whose task subscribes to a topic never also gets a pod-level copy of it;
 * - per message: one Message and one Parcel, one queue entry per receiving queue, framed/payload
 *   bytes encoded once; no timers and no JSON (except for `stdin = "json"`).
 */
export class TopicDispatcher {
  private readonly tasks = new Map<string, TaskState>();
  private readonly pods = new Map<string, DeliveryPod>();
  private readonly room = new RoomGate();

  constructor(
    private readonly broker: TopicBroker,
    private readonly deps: DispatcherDeps,
  ) {}

  /** Adds or updates a task. An update keeps its queue, pods and in-flight messages. */
  configureTask(spec: DispatchTaskSpec): void {
    this.broker.setTaskSubscriptions(spec.name, spec.subscribe); // validates before any change
    const existing = this.tasks.get(spec.name);
    if (existing === undefined) {
      this.tasks.set(spec.name, createTaskState(spec, this.overflowSink(spec.name, null)));
      return;
    }
    const old = existing.spec;
    existing.spec = spec;
    if (old.mode !== spec.mode || old.concurrency !== spec.concurrency) {
      existing.policy = createDeliveryPolicy(spec.mode, spec.concurrency);
    }
    existing.queue.maxQueue = spec.maxQueue;
    existing.queue.maxQueueBytes = spec.maxQueueBytes;
    existing.queue.overflow = spec.overflow;
    for (const pod of this.podsOf(spec.name)) {
      pod.format = spec.stdin;
      pod.own.maxQueue = spec.maxQueue;
      pod.own.maxQueueBytes = spec.maxQueueBytes;
      pod.own.overflow = spec.overflow;
      pod.held.setTimeoutMs(spec.ackTimeoutMs);
      this.pumpOwn(pod);
    }
    this.pumpTask(existing);
  }

  /** Forgets a task: its queued messages are dropped (one `dropped` event each). */
  removeTask(name: string): void {
    const task = this.tasks.get(name);
    if (task === undefined) return;
    this.tasks.delete(name);
    this.broker.removeTask(name);
    for (const entry of task.queue.drain()) this.drop(name, null, entry, 'task-removed', task);
    this.room.release(task.queue);
  }

  /**
   * Closes a task that will read no more (a job that completed, failed or was skipped): its queued
   * messages are dropped now and messages published to it later are dropped as they arrive
   * (`dropped` events, reason "job-finished"), so they never hold a run open. Its subscriptions
   * stay, so `openTask` (a pod of it starts again) resumes queueing. No-op for unknown tasks.
   */
  closeTask(name: string): void {
    const task = this.tasks.get(name);
    if (task === undefined || task.closed) return;
    task.closed = true;
    for (const entry of task.queue.drain()) this.drop(name, null, entry, 'job-finished', task);
    this.room.release(task.queue);
  }

  /** Undoes `closeTask`: messages are queued for the task again. */
  openTask(name: string): void {
    const task = this.tasks.get(name);
    if (task !== undefined) task.closed = false;
  }

  /**
   * Entry point for every message published by a pod (`from` = its name) or by the orchestrator /
   * control API (`from` = null). A pod's `<X>.result` first acknowledges the oldest message of
   * topic X it holds; `system.subscribe` / `system.unsubscribe` from a pod change its pod-level
   * subscriptions and are not published; other `system.*` topics from pods are refused (warning).
   *
   * @returns false when a queue with overflow = "block" is at max_queue or max_queue_bytes: the message IS accepted,
   *   but the caller must stop reading this publisher until `whenRoom()` resolves.
   */
  publish(topic: string, data: string, from: string | null): boolean {
    if (from !== null) {
      if (isReservedTopic(topic)) {
        this.systemCommand(from, topic, data);
        return true;
      }
      if (topic.endsWith(RESULT_SUFFIX)) this.ack(from, topic.slice(0, -RESULT_SUFFIX.length), null);
    }
    return this.fanOut(topic, data, from);
  }

  /**
   * `publish` for a publisher that can wait (a pod's stdout, see PublisherInlet), without the
   * acknowledgement and `system.*` handling (`acknowledge` does the first; the caller the second).
   * Publishes only when every queue with overflow = "block" the message would enter has room for
   * it; false means nothing happened: keep the message, stop reading the publisher, and offer it
   * again once `whenRoom()` resolves. Such a publisher never takes a queue past max_queue or
   * max_queue_bytes.
   */
  tryPublish(topic: string, data: string, from: string | null): boolean {
    const route = this.broker.subscribersByTask(topic);
    if (route.length > 0) {
      const full = refusingQueue(route, this.tasks, this.pods, topic.length + data.length);
      if (full !== null) {
        this.room.note(full);
        return false;
      }
    }
    this.fanOut(topic, data, from);
    return true;
  }

  /**
   * A pod wrote a message on `topic`: when that is `<X>.result` it acknowledges one message of
   * topic X the pod holds: the one whose id is `inReplyTo`, else the oldest. An id that names no
   * message of X the pod holds acknowledges nothing (warned once per task). Call it when the
   * message is read, before `tryPublish`: holding a publisher back must not delay its acks.
   */
  acknowledge(podName: string, topic: string, inReplyTo: string | null): void {
    if (topic.endsWith(RESULT_SUFFIX)) this.ack(podName, topic.slice(0, -RESULT_SUFFIX.length), inReplyTo);
  }

  private fanOut(topic: string, data: string, from: string | null): boolean {
    const message: Message = { id: this.deps.newId(), topic, data, from, publishedAt: this.deps.clock.now() };
    const route = this.broker.publish(message);
    if (route.length === 0) return true;
    const parcel = new Parcel(message);
    let room = true;
    for (const subscribers of route) {
      const task = this.tasks.get(subscribers.task);
      if (task === undefined) continue;
      if (subscribers.taskLevel) {
        if (task.closed) this.drop(task.spec.name, null, newEntry(parcel), 'job-finished', task);
        else if (!this.enqueueTask(task, newEntry(parcel))) room = false;
        continue;
      }
      for (const podName of subscribers.pods) {
        const pod = this.pods.get(podName);
        if (pod !== undefined && !this.enqueueOwn(pod, newEntry(parcel))) room = false;
      }
    }
    return room;
  }

  /** Resolves once no "block" queue is at capacity (immediately when none is). */
  whenRoom(): Promise<void> {
    return this.room.whenRoom();
  }

  /**
   * The pod can receive now. With `replay_latest`, it first gets the retained latest message of
   * each topic its task subscribes to (except those still waiting in the task queue).
   * Throws UnknownTaskError when its task is not configured.
   */
  podReady(endpoint: PodEndpoint): void {
    const task = this.tasks.get(endpoint.task);
    if (task === undefined) throw new UnknownTaskError(endpoint.task, `podReady(${endpoint.name})`);
    const pod = this.pods.get(endpoint.name) ?? this.createPod(endpoint.name, task);
    pod.endpoint = endpoint;
    pod.writable = true;
    if (!pod.ready) {
      pod.ready = true;
      task.pods.push(pod);
      if (task.spec.replayLatest) this.replay(pod, task, task.spec.subscribe);
    }
    this.pumpOwn(pod);
    this.pumpTask(task);
  }

  /** The pod's stdin drained after a write returned false. */
  podWritable(podName: string): void {
    const pod = this.pods.get(podName);
    if (pod === undefined || pod.writable) return;
    pod.writable = true;
    this.pumpOwn(pod);
    const task = this.tasks.get(pod.task);
    if (task !== undefined) this.pumpTask(task);
  }

  /**
   * The pod exited, was killed or stopped. Its unacknowledged messages go back to the FRONT of the
   * task queue with attempt + 1 (or to `<topic>.dead` after max_deliveries); its pod-level
   * subscriptions and their undelivered messages are dropped (events); drain waiters resolve.
   */
  podGone(podName: string): void {
    this.broker.removePod(podName);
    const pod = this.pods.get(podName);
    if (pod === undefined) return;
    this.pods.delete(podName);
    pod.ready = false;
    const task = this.tasks.get(pod.task);
    if (task !== undefined) {
      const index = task.pods.indexOf(pod);
      if (index !== -1) task.pods.splice(index, 1);
    }
    for (const entry of pod.own.drain()) this.drop(pod.task, podName, entry, 'pod-gone');
    this.room.release(pod.own);
    const held = pod.held.takeAll();
    pod.settleDrain(true);
    if (task === undefined) {
      for (const entry of held) this.drop(pod.task, podName, entry, 'task-removed');
      return;
    }
    this.redeliver(task, held);
    this.pumpTask(task);
  }

  /**
   * Stops sending to the pod (scale-down, rolling restart). Resolves when it holds no
   * unacknowledged message, or when `podGone` hands them back.
   */
  drainPod(podName: string): Promise<void> {
    const pod = this.pods.get(podName);
    if (pod === undefined) return Promise.resolve();
    pod.draining = true;
    const drained = pod.waitDrained();
    const task = this.tasks.get(pod.task);
    if (task !== undefined) this.pumpTask(task); // a draining pod no longer gates broadcast
    return drained;
  }

  /** Adds a pod-level subscription (what `"system.subscribe": pattern` does). */
  subscribePod(podName: string, pattern: string): void {
    const pod = this.pods.get(podName);
    if (pod === undefined) throw new UnknownPodError(podName, `subscribe ${JSON.stringify(pattern)}`);
    if (!this.broker.subscribePod(podName, pod.task, pattern)) return;
    const task = this.tasks.get(pod.task);
    if (task?.spec.replayLatest === true) this.replay(pod, task, [pattern]);
    this.pumpOwn(pod);
  }

  /** Removes a pod-level subscription; false when the pod did not have it. */
  unsubscribePod(podName: string, pattern: string): boolean {
    return this.broker.unsubscribePod(podName, pattern);
  }

  /** Counters and queue depths per task and per pod (a snapshot; see TaskStats / PodStats). */
  stats(): DispatcherStats {
    return collectStats(this.tasks, this.pods);
  }

  /** Messages not yet fully handled: queued (task and pod queues) plus unacknowledged. */
  inFlightOrQueued(): number {
    let n = 0;
    for (const task of this.tasks.values()) n += task.queue.length;
    for (const pod of this.pods.values()) n += pod.own.length + pod.held.size;
    return n;
  }

  private enqueueTask(task: TaskState, entry: QueueEntry): boolean {
    const problem = lineProblem(task, entry);
    if (problem !== null) {
      this.undeliverable(task, entry, problem);
      return true;
    }
    task.queue.offer(entry);
    this.pumpTask(task);
    return this.room.note(task.queue);
  }

  private enqueueOwn(pod: DeliveryPod, entry: QueueEntry): boolean {
    pod.own.offer(entry);
    this.pumpOwn(pod);
    return this.room.note(pod.own);
  }

  private pumpTask(task: TaskState): void {
    pumpTask(task, this.undeliverable);
    this.room.release(task.queue);
  }

  private pumpOwn(pod: DeliveryPod): void {
    pumpOwn(pod);
    this.room.release(pod.own);
  }

  private ack(podName: string, topic: string, id: string | null): void {
    const pod = this.pods.get(podName);
    if (pod === undefined) return;
    const entry = id === null ? (pod.held.size === 0 ? undefined : pod.held.ack(topic)) : pod.held.ackId(id, topic);
    if (entry === undefined) {
      if (id !== null) this.unmatchedAck(pod, topic, id);
      return;
    }
    pod.acked++;
    pod.settleDrain();
    const task = this.tasks.get(pod.task);
    if (task === undefined) return;
    task.counters.acked++;
    this.pumpTask(task);
  }

  /** Unacknowledged entries back to the queue front (attempt + 1), or to `<topic>.dead`. */
  private redeliver(task: TaskState, held: readonly QueueEntry[]): void {
    if (held.length === 0) return;
    const { back, dead } = partitionRedelivery(held, task.spec.maxDeliveries);
    if (task.closed) {
      for (const entry of back) this.drop(task.spec.name, null, entry, 'job-finished', task);
    } else {
      task.queue.requeueFront(back);
      task.counters.redelivered += back.length;
    }
    for (const entry of dead) {
      const message = entry.parcel.message;
      task.counters.deadLettered++;
      this.emit({ type: 'dead-lettered', task: task.spec.name, pod: null, message, attempts: entry.attempt });
      this.publish(`${message.topic}.dead`, message.data, null);
    }
  }

  /** A message a payload round_robin pod cannot be given: dead-lettered at once, warned once per task. */
  private readonly undeliverable: Undeliverable = (task, entry, reason) => {
    const message = entry.parcel.message;
    const name = task.spec.name;
    task.counters.deadLettered++;
    if (!task.warned.has('undeliverable')) {
      task.warned.add('undeliverable');
      this.deps.logger.warn({ task: name, topic: message.topic, id: message.id }, `${name}: message ${message.id} on "${message.topic}" dead-lettered to "${message.topic}.dead": ${reason} (warned once per task)`);
    }
    this.emit({ type: 'undeliverable', task: name, message, reason });
    // A dead letter that is itself undeliverable is not dead-lettered again (no `.dead.dead` chain).
    if (!message.topic.endsWith('.dead')) this.publish(`${message.topic}.dead`, message.data, null);
  };

  private unmatchedAck(pod: DeliveryPod, topic: string, id: string): void {
    const task = this.tasks.get(pod.task);
    if (task === undefined || !task.policy.acknowledged || task.warned.has('unmatched-ack')) return;
    task.warned.add('unmatched-ack');
    this.deps.logger.warn({ pod: pod.name, topic, id }, `${pod.name}: reply on "${topic}.result" names message ${JSON.stringify(id)}, which it does not hold on "${topic}"; acknowledged nothing (warned once per task)`);
  }

  private replay(pod: DeliveryPod, task: TaskState, patterns: readonly string[]): void {
    const latest = this.broker.latestMatching(patterns);
    if (latest.length === 0) return;
    const waiting = new Set<string>();
    for (const entry of task.queue) waiting.add(entry.parcel.message.id);
    for (const message of latest) if (!waiting.has(message.id)) pod.own.offer(newEntry(new Parcel(message)));
  }

  private systemCommand(from: string, topic: string, data: string): void {
    const pattern = data.trim();
    try {
      if (topic === 'system.subscribe') this.subscribePod(from, pattern);
      else if (topic === 'system.unsubscribe') this.unsubscribePod(from, pattern);
      else this.deps.logger.warn({ pod: from, topic }, 'unknown system command; not published');
    } catch (err) {
      if (!(err instanceof InvalidTopicPatternError || err instanceof UnknownPodError)) throw err;
      this.deps.logger.warn({ pod: from, topic, err }, err.message);
    }
  }

  private createPod(name: string, task: TaskState): DeliveryPod {
    const spec = task.spec;
    const own = new TaskQueue(spec.maxQueue, spec.overflow, this.overflowSink(spec.name, name), spec.maxQueueBytes);
    const held = new InFlight(this.deps.clock, spec.ackTimeoutMs, (entry, elapsedMs) => {
      this.emit({ type: 'ack-timeout', task: spec.name, pod: name, message: entry.parcel.message, attempt: entry.attempt, elapsedMs });
    });
    const pod = new DeliveryPod(name, spec.name, spec.stdin, own, held);
    this.pods.set(name, pod);
    return pod;
  }

  private *podsOf(task: string): Generator<DeliveryPod> {
    for (const pod of this.pods.values()) if (pod.task === task) yield pod;
  }

  private overflowSink(task: string, pod: string | null): OverflowSink {
    return {
      dropped: (entry) => this.drop(task, pod, entry, 'overflow'),
      rejected: (entry) => {
        const state = this.tasks.get(task);
        if (state !== undefined) state.counters.rejected++;
        this.emit({ type: 'rejected', task, pod, message: entry.parcel.message });
      },
    };
  }

  /** Counts (when the task still exists) and reports one discarded entry. */
  private drop(task: string, pod: string | null, entry: QueueEntry, reason: DropReason, state = this.tasks.get(task)): void {
    if (state !== undefined) state.counters.dropped++;
    this.emit({ type: 'dropped', task, pod, reason, message: entry.parcel.message });
  }

  private emit(event: DispatcherEvent): void {
    this.deps.onEvent?.(event);
  }
}
