import type { OverflowPolicy } from '../../config/types.js';
import type { Delivery, TaskConsumer, TaskSource } from '../transport.js';
import type { RoomGate } from './room-gate.js';
import { TaskQueue, type OverflowSink } from './task-queue.js';

/** The limits a queue takes from its task's spec (kept in step on every `bindTask`). */
export interface QueueLimits {
  readonly maxQueue: number;
  readonly maxQueueBytes: number;
  readonly overflow: OverflowPolicy;
}

/**
 * A task's (or one pod's own) in-process queue, read by the dispatcher as a TaskSource. It IS the
 * bounded TaskQueue, so a delivery is the queue entry itself and reading it costs no indirection.
 */
export class MemorySource extends TaskQueue implements TaskSource {
  /** A finished job's queue: arrivals are dropped (`job-finished`) until `open()`. */
  closed = false;

  constructor(
    /** The task the queue belongs to (for a pod's own queue: the pod's task). */
    readonly task: string,
    limits: QueueLimits,
    sink: OverflowSink,
    private readonly room: RoomGate,
    public consumer: TaskConsumer,
    private readonly deadLetters: (delivery: Delivery) => void,
  ) {
    super(limits.maxQueue, limits.overflow, sink, limits.maxQueueBytes);
  }

  setLimits(limits: QueueLimits): void {
    this.maxQueue = limits.maxQueue;
    this.maxQueueBytes = limits.maxQueueBytes;
    this.overflow = limits.overflow;
  }

  /**
   * A published message's entry arrives: queued unless the consumer takes it at once, then
   * pumped. False when this queue now blocks publishers (overflow = "block" at capacity).
   */
  enqueue(entry: Delivery): boolean {
    const admit = this.consumer.admit;
    if (admit !== null && !admit(entry)) return true;
    this.offer(entry);
    this.consumer.arrived();
    return this.room.note(this);
  }

  /** In memory there is nothing to fetch: only wake blocked publishers if there is room now. */
  want(): void {
    this.room.release(this);
  }

  /** Nothing to do: an acknowledged delivery already left the queue. */
  ack(): void {}

  retry(deliveries: readonly Delivery[]): void {
    for (const delivery of deliveries) delivery.attempt++;
    this.requeueFront(deliveries);
  }

  deadLetter(delivery: Delivery): void {
    this.deadLetters(delivery);
  }

  close(): Delivery[] {
    this.closed = true;
    return this.empty();
  }

  open(): void {
    this.closed = false;
  }

  /** Stats only: the queue itself. */
  get queued(): number {
    return this.length;
  }

  /** In process, the dispatcher's own numbers are the whole truth. */
  depth(): null {
    return null;
  }

  /** Empties the queue (front first) and unblocks publishers it blocked. */
  empty(): Delivery[] {
    const entries = this.drain();
    this.room.release(this);
    return entries;
  }
}
