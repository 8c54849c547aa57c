import type { ReplyAddress } from '../../protocol/types.js';
import type { Delivery, QueueDepth, TaskConsumer, Transport, TransportEvent } from '../transport.js';
import type { DispatcherStats, DispatchTaskSpec, PodEndpoint } from '../types.js';
import type { DispatcherDeps } from './deps.js';
import { createDeliveryPolicy } from './delivery-policy.js';
import { DeliveryPod } from './delivery-pod.js';
import { UnknownPodError, UnknownTaskError } from './errors.js';
import { InFlight } from './in-flight.js';
import { lineProblem, pumpOwn, pumpTask } from './pump.js';
import { Settlement } from './settlement.js';
import { takeNow, takesNow } from './take-now.js';
import { collectStats, createTaskState, type TaskState } from './task-state.js';

import { RESULT_SUFFIX } from './settlement.js';

/**
 * Delivery of the transport's queues to local pods: which pod gets each message, what each pod
 * holds, acknowledgements, ack timeouts, redelivery and dead letters. One implementation for every
 * transport; where messages wait (queues, overflow, routing) is the Transport's business. The
 * guarantees users rely on are in docs/protocol.md ("Delivery guarantees", "Queue limits").
 *
 * Flow: `publish` → (ack, if `<X>.result` from a pod) → transport: route, one entry per
 * subscribing task queue (or pod queue, for pod-level subscriptions) → `arrived` → pump: the
 * task's DeliveryPolicy picks recipients among its ready pods → bytes written to their stdin →
 * `source.want(credit)`.
 *
 * Invariants:
 * - a delivery taken from a source ends exactly once: acknowledged, retried (pod gone), dead-
 *   lettered (after `max_deliveries` unacknowledged deliveries, or at once when it cannot be one
 *   `payload` line of a round_robin task), or dropped with an event (task removed or closed);
 * - a pod is never written to while not writable, and never holds more than `concurrency`
 *   unacknowledged messages;
 * - retried deliveries go back ahead of new ones in their original order, so one publisher's
 *   messages reach a given pod in publish order (redeliveries excepted). Task-level and pod-level
 *   deliveries to the same pod are two separate FIFO streams;
 * - per delivery: no allocation beyond the transport's entry, framed/payload bytes encoded once
 *   per message, no timers (one ack timer per pod at most) and no JSON (except `stdin = "json"`).
 */
export class TopicDispatcher {
  private readonly tasks = new Map<string, TaskState>();
  private readonly pods = new Map<string, DeliveryPod>();
  private readonly settle: Settlement;

  constructor(
    private readonly transport: Transport,
    private readonly deps: DispatcherDeps,
  ) {
    this.settle = new Settlement(this.tasks, this.pods, deps, (task) => this.pumpTask(task), transport);
    transport.onEvent(this.onTransportEvent);
  }

  /** Adds or updates a task. An update keeps its queue, pods and in-flight messages. */
  configureTask(spec: DispatchTaskSpec): void {
    const existing = this.tasks.get(spec.name);
    if (existing === undefined) {
      // The task state needs its source and the source its consumer: the consumer is bound first.
      const link = { task: null as unknown as TaskState };
      link.task = createTaskState(spec, this.transport.bindTask(spec, this.consumer(spec, link))); // validates first
      this.tasks.set(spec.name, link.task);
      return;
    }
    this.transport.bindTask(spec, this.consumer(spec, { task: existing }));
    const old = existing.spec;
    existing.spec = spec;
    if (old.mode !== spec.mode || old.concurrency !== spec.concurrency) {
      existing.policy = createDeliveryPolicy(spec.mode, spec.concurrency);
    }
    for (const pod of this.pods.values()) {
      if (pod.task !== spec.name) continue;
      pod.format = spec.stdin;
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
    for (const entry of this.transport.unbindTask(name)) this.settle.drop(name, null, entry, 'task-removed', task);
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
    for (const entry of task.source.close()) this.settle.drop(name, null, entry, 'job-finished', task);
  }

  /** Undoes `closeTask`: messages are queued for the task again. */
  openTask(name: string): void {
    const task = this.tasks.get(name);
    if (task === undefined) return;
    task.closed = false;
    task.source.open();
  }

  /** See `closeTask`; false for unknown tasks. */
  isClosed(name: string): boolean {
    return this.tasks.get(name)?.closed === true;
  }

  /**
   * Entry point for every message published by a pod (`from` = its name) or by the orchestrator /
   * control API (`from` = null). A pod's `<X>.result` first acknowledges the oldest message of
   * topic X it holds. `system.*` commands never get here: the pod port diverts them.
   *
   * @returns false when a queue with overflow = "block" is at max_queue or max_queue_bytes: the message IS accepted,
   *   but the caller must stop reading this publisher until `whenRoom()` resolves.
   */
  publish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    if (from !== null && topic.endsWith(RESULT_SUFFIX)) this.settle.ack(from, topic, null, data);
    return this.transport.publish(topic, data, from, replyTo);
  }

  /**
   * `publish` for a publisher that can wait (a pod's stdout, see PublisherInlet), without the
   * acknowledgement (`acknowledge` does it). False means nothing happened: keep the message, stop
   * reading the publisher, and offer it again once `whenRoom()` resolves (see Transport.tryPublish).
   */
  tryPublish(topic: string, data: string, from: string | null, replyTo?: ReplyAddress): boolean {
    return this.transport.tryPublish(topic, data, from, replyTo);
  }

  /**
   * A pod wrote a message on `topic`: when that is `<X>.result` it acknowledges one message of
   * topic X the pod holds: the one whose id is `inReplyTo`, else the oldest. An id that names no
   * message of X the pod holds acknowledges nothing (warned once per task). When the message it
   * acknowledges came from a requester (`replyTo`), `data` is delivered to that requester too.
   * Call it when the message is read, before `tryPublish`: holding a publisher back must not
   * delay its acks (nor the requester's copy).
   */
  acknowledge(podName: string, topic: string, inReplyTo: string | null, data: string): void {
    if (topic.endsWith(RESULT_SUFFIX)) this.settle.ack(podName, topic, inReplyTo, data);
  }

  /** Resolves once no "block" queue is at capacity (immediately when none is). */
  whenRoom(): Promise<void> {
    return this.transport.whenRoom();
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
      if (task.spec.replayLatest) this.transport.replayLatest(pod.name, task.spec.subscribe);
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
    const undelivered = this.transport.unbindPod(podName);
    const pod = this.pods.get(podName);
    if (pod === undefined) return;
    this.pods.delete(podName);
    pod.ready = false;
    const task = this.tasks.get(pod.task);
    if (task !== undefined) {
      const index = task.pods.indexOf(pod);
      if (index !== -1) task.pods.splice(index, 1);
    }
    for (const entry of undelivered) this.settle.drop(pod.task, podName, entry, 'pod-gone');
    const held = pod.held.takeAll();
    pod.settleDrain(true);
    if (task === undefined) {
      for (const entry of held) this.settle.drop(pod.task, podName, entry, 'task-removed');
      return;
    }
    this.settle.redeliver(task, held);
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
    if (!this.transport.subscribePod(podName, pattern)) return;
    if (this.tasks.get(pod.task)?.spec.replayLatest === true) this.transport.replayLatest(podName, [pattern]);
    this.pumpOwn(pod);
  }

  /** Removes a pod-level subscription; false when the pod did not have it. */
  unsubscribePod(podName: string, pattern: string): boolean {
    return this.transport.unsubscribePod(podName, pattern);
  }

  /** Counters and queue depths per task and per pod (a snapshot; see TaskStats / PodStats). */
  stats(): DispatcherStats {
    return collectStats(this.tasks, this.pods);
  }

  /** Messages not yet fully handled: queued (task and pod queues) plus unacknowledged. */
  inFlightOrQueued(): number {
    let n = 0;
    for (const task of this.tasks.values()) n += task.source.queued;
    for (const pod of this.pods.values()) n += pod.own.length + pod.held.size;
    return n;
  }

  /**
   * Per task, what is not fully handled yet across every instance: the transport's numbers where
   * the queue lives elsewhere (NATS consumer info), else this dispatcher's own.
   */
  async depth(): Promise<Record<string, QueueDepth>> {
    const held = new Map<string, number>();
    for (const pod of this.pods.values()) held.set(pod.task, (held.get(pod.task) ?? 0) + pod.held.size);
    const out: Record<string, QueueDepth> = {};
    await Promise.all(
      [...this.tasks].map(async ([name, task]) => {
        out[name] = (await task.source.depth()) ?? { queued: task.source.length, inFlight: held.get(name) ?? 0 };
      }),
    );
    return out;
  }

  /**
   * The task's side of its source. Deliveries a payload round_robin task can never be given are
   * checked as they arrive (`lineProblem`), so they are dead-lettered at once even with no pod to
   * take them; other tasks admit everything without a call. Rebound on every configureTask.
   */
  private consumer(spec: DispatchTaskSpec, link: { readonly task: TaskState }): TaskConsumer {
    const checksLines = spec.mode === 'round_robin' && spec.stdin === 'payload';
    return {
      admit: checksLines ? (entry) => this.admit(link.task, entry) : null,
      arrived: () => this.pumpTask(link.task),
      takeNow: takesNow({ spec }) ? (transit) => takeNow(link.task, transit, (task) => this.pumpTask(task)) : null,
    };
  }

  private admit(task: TaskState, entry: Delivery): boolean {
    const problem = lineProblem(task, entry);
    if (problem === null) return true;
    this.settle.undeliverable(task, entry, problem);
    return false;
  }

  private pumpTask(task: TaskState): void {
    pumpTask(task, this.settle.undeliverable);
    task.source.want(task.slots);
    if (task.source.length > 0) this.deps.onWaiting?.(task.spec.name);
  }

  private pumpOwn(pod: DeliveryPod): void {
    pumpOwn(pod);
    pod.own.want(pod.slots);
  }

  private createPod(name: string, task: TaskState): DeliveryPod {
    const spec = task.spec;
    const link = { pod: null as unknown as DeliveryPod };
    const own = this.transport.bindPod(name, spec.name, () => this.pumpOwn(link.pod));
    const held = new InFlight(this.deps.clock, spec.ackTimeoutMs, (entry, elapsedMs) => {
      this.settle.emit({ type: 'ack-timeout', task: spec.name, pod: name, message: entry.parcel.message, attempt: entry.attempt, elapsedMs });
    });
    const pod = new DeliveryPod(name, spec.name, spec.stdin, own, held);
    link.pod = pod;
    this.pods.set(name, pod);
    return pod;
  }

  /** Overflow drops and rejections the transport reports: counted per task, then passed on. */
  private readonly onTransportEvent = (event: TransportEvent): void => {
    if (event.type === 'connection' || event.type === 'lease-lost') return; // Bus.onNotice passes these on
    const task = this.tasks.get(event.task);
    if (task !== undefined) {
      if (event.type === 'dropped') task.counters.dropped++;
      else task.counters.rejected++;
    }
    this.settle.emit(event);
  };
}
