import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** The pod's controller follows its state and readiness (rollouts wait for a replacement to be ready). */
export function controllerLink(deps: Pick<PodObserverDeps, 'tasks' | 'readiness'>): PodObserver {
  return {
    state: (pod) => deps.tasks.get(pod.spec.name)?.observe(pod, deps.readiness.isReady(pod)),
    ready: (pod) => deps.tasks.get(pod.spec.name)?.observe(pod, true),
  };
}
