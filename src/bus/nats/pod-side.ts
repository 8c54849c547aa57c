import type { Message } from '../../protocol/types.js';
import { UnknownPodError } from '../dispatcher/errors.js';
import { MemorySource } from '../memory/memory-source.js';
import { RoomGate } from '../memory/room-gate.js';
import { Taps } from '../memory/taps.js';
import { newEntry, Parcel, type TopicBroker } from '../routing/index.js';
import type { Delivery, TapListener, TransportEvent } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { latestAnswer, latestToReplay, type LatestReadDeps } from './latest-reads.js';
import type { Observers } from './observers.js';

export interface PodSideContext {
  readonly broker: TopicBroker;
  readonly observers: Observers;
  readonly latestReads: LatestReadDeps;
  emit(event: TransportEvent): void;
  /** A pod-level message that ran out of deliveries: published on `<topic>.dead`. */
  deadLetter(message: Message): void;
}

/**
 * This instance's pods as the bus sees them outside their task's durable: each pod's own queue
 * (pod-level subscriptions, replies, replays, latest answers: in memory, as in process), and the
 * observers (API taps and pod-level subscriptions) fed by the project's observer subject. Tells the
 * registry whether this instance has observers, so other instances send it observer traffic.
 */
export class PodSide {
  private readonly pods = new Map<string, MemorySource>();
  private readonly taps = new Taps();
  private tapCount = 0;
  private readonly room = new RoomGate();

  constructor(private readonly ctx: PodSideContext) {}

  get(pod: string): MemorySource | undefined {
    return this.pods.get(pod);
  }

  bind(pod: string, spec: DispatchTaskSpec, arrived: () => void): MemorySource {
    const task = spec.name;
    // Pod-level copies come from observer traffic, which cannot hold remote publishers back: "block" degrades to a counted rejection.
    const limits = { maxQueue: spec.maxQueue, maxQueueBytes: spec.maxQueueBytes, overflow: spec.overflow === 'block' ? ('reject' as const) : spec.overflow };
    const sink = {
      dropped: (entry: Delivery) => this.ctx.emit({ type: 'dropped', task, pod, reason: 'overflow', message: entry.parcel.message }),
      rejected: (entry: Delivery) => this.ctx.emit({ type: 'rejected', task, pod, message: entry.parcel.message }),
    };
    const own = new MemorySource(task, limits, sink, this.room, { admit: null, arrived }, (delivery) => this.ctx.deadLetter(delivery.parcel.message));
    this.pods.set(pod, own);
    return own;
  }

  /** What was still queued for the pod. */
  unbind(pod: string): Delivery[] {
    this.ctx.broker.removePod(pod);
    const own = this.pods.get(pod);
    if (own === undefined) return [];
    this.pods.delete(pod);
    this.noteInterest();
    return own.empty();
  }

  subscribe(pod: string, pattern: string): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) throw new UnknownPodError(pod, `subscribe ${JSON.stringify(pattern)}`);
    const added = this.ctx.broker.subscribePod(pod, own.task, pattern);
    this.noteInterest();
    return added;
  }

  unsubscribe(pod: string, pattern: string): boolean {
    const removed = this.ctx.broker.unsubscribePod(pod, pattern);
    this.noteInterest();
    return removed;
  }

  /** A reply for a local pod; false when the pod is gone. */
  toPod(pod: string, reply: Message): boolean {
    const own = this.pods.get(pod);
    if (own === undefined) return false;
    own.enqueue(newEntry(new Parcel(reply)));
    return true;
  }

  /** Queues for the pod the latest message of each topic matching `patterns`, except the `waiting` ids. */
  async replayLatest(pod: string, patterns: readonly string[], waiting: ReadonlySet<string>): Promise<void> {
    const own = this.pods.get(pod);
    if (own === undefined) return;
    const latest = await latestToReplay(this.ctx.latestReads, patterns, waiting);
    if (this.pods.get(pod) !== own || latest.length === 0) return;
    for (const message of latest) own.offer(newEntry(new Parcel(message)));
    own.consumer.arrived();
  }

  /** Queues the answer to the pod's `system.latest` (the read, to await); null when the pod is gone. */
  answerLatest(pod: string, topic: string): Promise<void> | null {
    const own = this.pods.get(pod);
    if (own === undefined) return null;
    return latestAnswer(this.ctx.latestReads, pod, topic).then((answer) => {
      if (this.pods.get(pod) === own) own.enqueue(newEntry(answer));
    });
  }

  /** Whether an API tap wants `topic`. */
  tapped(topic: string): boolean {
    return this.taps.wants(topic);
  }

  observe(patterns: readonly string[], listener: TapListener): () => void {
    const remove = this.taps.add(patterns, listener);
    this.tapCount++;
    this.noteInterest();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      remove();
      this.tapCount--;
      this.noteInterest();
    };
  }

  /** Observer traffic from any instance: taps, then pod-level copies for local pods. */
  readonly onObserved = (message: Message): void => {
    this.taps.publish(message);
    if (this.pods.size === 0) return;
    let parcel: Parcel | null = null;
    for (const subscribers of this.ctx.broker.subscribersByTask(message.topic)) {
      if (subscribers.taskLevel) continue;
      for (const pod of subscribers.pods) {
        const own = this.pods.get(pod);
        if (own !== undefined) own.enqueue(newEntry((parcel ??= new Parcel(message))));
      }
    }
  };

  /** Whether this instance has observers (taps, pod-level subscriptions), for the registry. */
  private noteInterest(): void {
    let wants = this.tapCount > 0;
    for (const pod of this.pods.keys()) if (!wants && this.ctx.broker.podSubscriptions(pod).length > 0) wants = true;
    this.ctx.observers.setLocal(wants);
  }
}
