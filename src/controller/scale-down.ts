import type { PodPhase } from '../pod/pod-state.js';

/** What scale-down needs to know about a candidate pod. */
export interface ScaleCandidate {
  readonly index: number;
  readonly phase: PodPhase;
  /** Unacknowledged messages the pod holds right now. */
  readonly inFlight: number;
}

/**
 * Which `count` pods to remove when scaling down. Cheapest first: pods that are not serving
 * (pending, starting, backoff, finished) lose nothing; then idle running pods; then the least busy.
 * Ties go to the highest index, so `worker-0..N` stay the survivors in the common case.
 */
export function chooseVictims<T extends ScaleCandidate>(pods: readonly T[], count: number): T[] {
  if (count <= 0) return [];
  const rank = (p: ScaleCandidate): number => (p.phase === 'running' ? 1 : 0);
  return [...pods]
    .sort((a, b) => rank(a) - rank(b) || a.inFlight - b.inFlight || b.index - a.index)
    .slice(0, count);
}

/** The smallest replica index not in use (names are only reused once their pod is gone). */
export function lowestFreeIndex(used: Iterable<number>): number {
  const taken = new Set(used);
  let index = 0;
  while (taken.has(index)) index++;
  return index;
}
