import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** Each start opens a new run in the pod's log buffer (sized per the current spec); a stopped pod's buffer goes. */
export function logStore(deps: Pick<PodObserverDeps, 'logs' | 'tasks'>): PodObserver {
  return {
    state: (pod) => {
      const phase = pod.state.phase;
      if (phase === 'starting') deps.logs.newRun(pod.name, pod.spec.name, deps.tasks.get(pod.spec.name)?.taskSpec.logBuffer ?? pod.spec.logBuffer);
      else if (phase === 'stopped') deps.logs.forget(pod.name);
    },
  };
}
