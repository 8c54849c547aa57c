import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** An autoscaled pool looks again when one of its pods changes state or becomes ready. */
export function autoscaleLink(deps: Pick<PodObserverDeps, 'autoscaling'>): PodObserver {
  return {
    state: (pod) => deps.autoscaling.wake(pod.spec.name),
    ready: (pod) => deps.autoscaling.wake(pod.spec.name),
  };
}
