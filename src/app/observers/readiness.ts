import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** Readiness and liveness are decided while a pod runs, and forgotten once it stops running. */
export function readinessLink(deps: Pick<PodObserverDeps, 'readiness'>): PodObserver {
  return {
    state: (pod, previous) => {
      const phase = pod.state.phase;
      if (phase === 'running') {
        // Probes run with the environment this run was spawned with (set by start() before spawning).
        const env = pod.env;
        if (env !== null) deps.readiness.watch(pod, pod.spec, env);
      } else if (previous.phase === 'running' || previous.phase === 'stopping') {
        deps.readiness.unwatch(pod);
      }
    },
  };
}
