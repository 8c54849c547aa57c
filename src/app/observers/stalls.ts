import type { PodObserver, PodObserverDeps } from '../pod-observers.js';
import { gone } from './bus-link.js';

/** A gone pod's stall (if any) ends. */
export function stalls(deps: Pick<PodObserverDeps, 'signals'>): PodObserver {
  return {
    state: (pod, previous) => {
      if (gone(previous.phase, pod.state.phase)) deps.signals.stalls.podGone(pod.name);
    },
  };
}
