import type { StdinFormat } from '../../config/types.js';
import type { PodView } from './delivery-policy.js';
import { OPEN_CREDIT } from './credit.js';
import type { InFlight } from './in-flight.js';
import type { TaskSource } from '../transport.js';
import type { PodEndpoint } from '../types.js';

/**
 * The dispatcher's view of one pod. Mutated only by TopicDispatcher.
 *
 * Lifecycle: created by `podReady`, `draining` after `drainPod`, forgotten by `podGone`.
 * `accepting` = ready and not draining.
 */
export class DeliveryPod implements PodView {
  endpoint: PodEndpoint | null = null;
  ready = false;
  draining = false;
  writable = true;
  delivered = 0;
  acked = 0;
  /** Re-entrancy guard of the own-queue pump. */
  pumping = false;
  /** A reply of this pod acknowledged nothing and was checked for the once-per-task warning (so later ones cost nothing). */
  unheldReplySeen = false;
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly task: string,
    /** The task's stdin format (updated on reload). */
    public format: StdinFormat,
    /** Messages for this pod only (pod-level subscriptions, replay_latest). */
    readonly own: TaskSource,
    /** Unacknowledged round_robin deliveries. */
    readonly held: InFlight,
  ) {}

  get accepting(): boolean {
    return this.ready && !this.draining;
  }

  get inFlight(): number {
    return this.held.size;
  }

  /** What `own.want` may ask: the own queue is open while the pod accepts and is writable. Bound once. */
  readonly slots = (): number => (this.accepting && this.writable ? OPEN_CREDIT : 0);

  /** Writes to the pod, recording backpressure. The caller checked `writable`. */
  write(chunk: string | Buffer): void {
    this.delivered++;
    if (!(this.endpoint as PodEndpoint).write(chunk)) this.writable = false;
  }

  /** Resolves when the pod holds nothing unacknowledged (or `settleDrain` is called). */
  waitDrained(): Promise<void> {
    if (this.held.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Resolves drain waiters if nothing is held any more (or unconditionally with `force`). */
  settleDrain(force = false): void {
    if (this.drainWaiters.length === 0 || (!force && this.held.size > 0)) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
