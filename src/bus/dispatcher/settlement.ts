import type { Delivery, Transport } from '../transport.js';
import type { DispatcherEvent, DropReason } from '../types.js';
import type { Message, ReplyAddress } from '../../protocol/types.js';
import { newEntry, Parcel } from '../routing/parcel.js';
import type { DispatcherDeps } from './deps.js';
import type { DeliveryPod } from './delivery-pod.js';
import { partitionRedelivery, type Undeliverable } from './pump.js';
import type { TaskState } from './task-state.js';

export const RESULT_SUFFIX = '.result';

/**
 * The task of a publisher: `<task>-<index>`, or `<instance>/<task>-<index>` on a shared bus (task
 * names hold no "/").
 */
function taskOfPod(from: string): string {
  const pod = from.slice(from.lastIndexOf('/') + 1);
  const dash = pod.lastIndexOf('-');
  return dash === -1 ? pod : pod.slice(0, dash);
}

/**
 * How a delivery ends, for TopicDispatcher: acknowledged (`.result`), handed back for redelivery,
 * dead-lettered, or dropped with an event. Shares the dispatcher's task and pod maps.
 */
export class Settlement {
  /** The last `<X>.result` acknowledged and its X: a run of replies on one topic slices it once. */
  private lastResult = '';
  private lastTopic = '';

  constructor(
    private readonly tasks: ReadonlyMap<string, TaskState>,
    private readonly pods: ReadonlyMap<string, DeliveryPod>,
    private readonly deps: DispatcherDeps,
    /** Pumps the task after an ack freed a slot. */
    private readonly pump: (task: TaskState) => void,
    /** Delivers a reply to the requester of the message it acknowledged. */
    private readonly replies: Pick<Transport, 'deliverReply'>,
  ) {}

  /**
   * A pod's reply `data` on `resultTopic` (`<X>.result`) acknowledges one message of X the pod
   * holds: the one with id `id`, else (null) the oldest. One that names nothing the pod holds
   * acknowledges nothing (warned once per round_robin task). When the acknowledged message came
   * from a requester, the reply is delivered to it as well (one copy; dropped and counted when
   * the requester is gone).
   */
  ack(podName: string, resultTopic: string, id: string | null, data: string): void {
    const pod = this.pods.get(podName);
    if (pod === undefined) return;
    if (resultTopic !== this.lastResult) {
      this.lastResult = resultTopic;
      this.lastTopic = resultTopic.slice(0, -RESULT_SUFFIX.length);
    }
    const topic = this.lastTopic;
    const entry = id === null ? (pod.held.size === 0 ? undefined : pod.held.ack(topic)) : pod.held.ackId(id, topic);
    if (entry === undefined) {
      // By id: always checked. Without: once per pod run, so broadcast replies pay no lookup each.
      if (id !== null) this.unmatchedAck(pod, topic, id);
      else if (!pod.unheldReplySeen) {
        pod.unheldReplySeen = true;
        this.unmatchedAck(pod, topic, null);
      }
      return;
    }
    const request = entry.parcel.message;
    if (request.replyTo !== undefined) this.reply(request, resultTopic, data, podName);
    pod.acked++;
    pod.settleDrain();
    const task = this.tasks.get(pod.task);
    if (task === undefined) return;
    task.counters.acked++;
    if (this.deps.onAck !== undefined) this.deps.onAck(pod.task, this.deps.clock.now() - entry.parcel.message.publishedAt);
    task.source.ack(entry);
    this.pump(task);
  }

  /**
   * A gone pod's unacknowledged deliveries: back to the front of the queue (attempt + 1) or, after
   * max_deliveries, to `<topic>.dead`; dropped when the task is closed. The caller pumps after.
   */
  redeliver(task: TaskState, held: readonly Delivery[]): void {
    if (held.length === 0) return;
    const { back, dead } = partitionRedelivery(held, task.spec.maxDeliveries);
    if (task.closed) {
      for (const entry of back) this.drop(task.spec.name, null, entry, 'job-finished', task);
    } else {
      task.source.retry(back);
      task.counters.redelivered += back.length;
    }
    for (const entry of dead) {
      task.counters.deadLettered++;
      this.emit({ type: 'dead-lettered', task: task.spec.name, pod: null, message: entry.parcel.message, attempts: entry.attempt });
      task.source.deadLetter(entry);
    }
  }

  /** A message a payload round_robin pod cannot be given: dead-lettered at once, warned once per task. */
  readonly undeliverable: Undeliverable = (task, entry, reason) => {
    const message = entry.parcel.message;
    const name = task.spec.name;
    task.counters.deadLettered++;
    if (!task.warned.has('undeliverable')) {
      task.warned.add('undeliverable');
      this.deps.logger.warn({ task: name, topic: message.topic, id: message.id }, `${name}: message ${message.id} on "${message.topic}" dead-lettered to "${message.topic}.dead": ${reason} (warned once per task)`);
    }
    this.emit({ type: 'undeliverable', task: name, message, reason });
    // A dead letter that is itself undeliverable is not dead-lettered again (no `.dead.dead` chain).
    if (!message.topic.endsWith('.dead')) task.source.deadLetter(entry);
  };

  /** Counts (when the task still exists) and reports one discarded entry. */
  drop(task: string, pod: string | null, entry: Delivery, reason: DropReason, state = this.tasks.get(task)): void {
    if (state !== undefined) state.counters.dropped++;
    this.emit({ type: 'dropped', task, pod, reason, message: entry.parcel.message });
  }

  emit(event: DispatcherEvent): void {
    this.deps.onEvent?.(event);
  }

  /** The requester's copy of a reply; a requester that is gone gets nothing (dropped, counted for its task). */
  private reply(request: Message, topic: string, data: string, from: string): void {
    const address = request.replyTo as ReplyAddress;
    if (this.replies.deliverReply(address.inbox, topic, data, from, address.ref ?? request.id)) return;
    const task = request.from === null ? taskOfPod(from) : taskOfPod(request.from);
    const reply: Message = { id: `${request.id}.reply`, topic, data, from, publishedAt: this.deps.clock.now(), inReplyTo: address.ref ?? request.id };
    this.drop(task, request.from, newEntry(new Parcel(reply)), 'requester-gone');
  }

  private unmatchedAck(pod: DeliveryPod, topic: string, id: string | null): void {
    const task = this.tasks.get(pod.task);
    const key = id === null ? 'unheld-reply' : 'unmatched-ack';
    if (task === undefined || !task.policy.acknowledged || task.warned.has(key)) return;
    task.warned.add(key);
    if (id === null) {
      this.deps.logger.warn({ pod: pod.name, topic }, `${pod.name}: reply on "${topic}.result" while it holds no message of "${topic}"; acknowledged nothing, only published (warned once per task)`);
      return;
    }
    this.deps.logger.warn({ pod: pod.name, topic, id }, `${pod.name}: reply on "${topic}.result" names message ${JSON.stringify(id)}, which it does not hold on "${topic}"; acknowledged nothing (warned once per task)`);
  }
}
