import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** A pod of a finished (closed) job runs again (scale, restart): its task reads messages again. */
export function jobReopen(deps: Pick<PodObserverDeps, 'bus'>): PodObserver {
  return {
    state: (pod) => {
      if (pod.state.phase === 'running' && deps.bus.isClosed(pod.spec.name)) deps.bus.openTask(pod.spec.name);
    },
  };
}
