import { logPodExit, logPodTransition } from '../../observe/lifecycle-log.js';
import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** The orchestrator's log lines about pods. */
export function lifecycleLog(deps: Pick<PodObserverDeps, 'logger'>): PodObserver {
  return {
    state: (pod, previous) => logPodTransition(deps.logger, pod, previous),
    ready: (pod) => {
      if (pod.spec.ready.kind !== 'started') deps.logger.info({ pod: pod.name }, `${pod.name} is ready`);
    },
    exited: (event) => logPodExit(deps.logger, event),
  };
}
