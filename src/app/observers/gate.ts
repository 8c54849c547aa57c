import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** depends_on conditions are re-decided after every pod change, once the run has let pods start. */
export function gateLink(deps: Pick<PodObserverDeps, 'gate' | 'started'>): PodObserver {
  const evaluate = (): void => {
    if (deps.started()) deps.gate.evaluate();
  };
  return { state: evaluate, ready: evaluate };
}
