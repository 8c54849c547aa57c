import type { AutoscaleSpec } from '../config/types.js';
import { formatDuration } from '../util/duration.js';

/** One pod of a pool, as the autoscaling decision sees it (leaving pods are not listed). */
export interface PoolPod {
  readonly name: string;
  /**
   * `starting`: not ready yet (it will take messages once it is); `ready`: receiving;
   * `restarting`: crashed and waiting out its backoff (it comes back, so it still counts).
   */
  readonly status: 'starting' | 'ready' | 'restarting';
  /** Unacknowledged messages it holds. */
  readonly inFlight: number;
  /** Epoch ms since when it has held nothing and received nothing; null while busy or not ready. */
  readonly idleSince: number | null;
}

export interface PoolFacts {
  readonly now: number;
  readonly bounds: AutoscaleSpec;
  /** Unacknowledged messages one pod may hold (the task's `concurrency`). */
  readonly concurrency: number;
  /** Messages waiting in the task queue. */
  readonly queued: number;
  readonly pods: readonly PoolPod[];
}

/**
 * What to do now. `grow`: start pods until there are `to`. `shrink`: drain and stop exactly these
 * idle pods. `hold`: nothing; look again at `wakeAt` (an idle pod's time runs out), or on the next
 * event when null. `reason` is what the user sees: `57 queued`, `idle for 30s`.
 */
export type ScaleDecision =
  | { readonly type: 'hold'; readonly wakeAt: number | null }
  | { readonly type: 'grow'; readonly to: number; readonly reason: string }
  | { readonly type: 'shrink'; readonly pods: readonly string[]; readonly to: number; readonly reason: string };

/**
 * The pool's size as a pure function of its queue, its pods and the time. Up: while messages wait
 * beyond what the pods (starting and restarting ones included, each able to take `concurrency`)
 * can take, start one pod per `concurrency` of them, up to max. Down: only with nothing queued,
 * only pods that hold nothing and have been idle for `idle` (the longest idle first), down to min.
 * Never below min, never above max (bounds lowered by a reload shrink through idleness, never by
 * stopping a busy pod).
 */
export function decideScale(facts: PoolFacts): ScaleDecision {
  const { bounds, pods, queued, concurrency, now } = facts;
  const count = pods.length;
  if (count < bounds.min) return { type: 'grow', to: bounds.min, reason: `min is ${bounds.min}` };
  if (queued > 0) {
    const free = pods.reduce((sum, pod) => sum + (pod.status === 'ready' ? Math.max(0, concurrency - pod.inFlight) : concurrency), 0);
    const needed = Math.ceil(Math.max(0, queued - free) / concurrency);
    const to = Math.min(bounds.max, count + needed);
    if (to > count) return { type: 'grow', to, reason: `${queued} queued` };
    return { type: 'hold', wakeAt: null };
  }
  const idle = pods
    .filter((pod) => pod.status === 'ready' && pod.inFlight === 0 && pod.idleSince !== null)
    .sort((a, b) => (a.idleSince ?? 0) - (b.idleSince ?? 0) || (a.name < b.name ? 1 : -1));
  const removable = count - bounds.min;
  if (removable <= 0) return { type: 'hold', wakeAt: null };
  const expired = idle.filter((pod) => now - (pod.idleSince ?? now) >= bounds.idleMs).slice(0, removable);
  if (expired.length > 0) return { type: 'shrink', pods: expired.map((p) => p.name), to: count - expired.length, reason: `idle for ${formatDuration(bounds.idleMs)}` };
  const next = idle[0];
  return { type: 'hold', wakeAt: next === undefined ? null : (next.idleSince ?? now) + bounds.idleMs };
}

/** A pod that exited is replaced only while there is work for it, or to keep min pods. */
export function replaceExited(facts: { readonly queued: number; readonly inFlight: number; readonly remaining: number; readonly min: number }): boolean {
  return facts.queued > 0 || facts.inFlight > 0 || facts.remaining < facts.min;
}
