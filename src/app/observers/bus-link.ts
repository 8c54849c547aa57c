import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** The bus delivers to ready pods, stops delivering to stopping ones and takes back what gone ones held. */
export function busLink(deps: Pick<PodObserverDeps, 'bus'>): PodObserver {
  return {
    ready: (pod) => {
      deps.bus.podReady({ name: pod.name, task: pod.spec.name, write: (chunk) => pod.write(chunk) });
    },
    state: (pod, previous) => {
      const phase = pod.state.phase;
      if (previous.phase === 'running' && phase === 'stopping') void deps.bus.drainPod(pod.name);
      else if (gone(previous.phase, phase)) deps.bus.podGone(pod.name);
    },
  };
}

/** The pod's process is gone: it was running or stopping and is not (still) stopping. */
export function gone(previous: string, phase: string): boolean {
  return (previous === 'running' || previous === 'stopping') && phase !== 'stopping';
}
