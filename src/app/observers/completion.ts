import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** An exit may end the run; checked once the exit's state change has happened too. */
export function completionCheck(deps: Pick<PodObserverDeps, 'checkCompleted'>): PodObserver {
  return {
    exited: () => queueMicrotask(() => deps.checkCompleted()),
  };
}
