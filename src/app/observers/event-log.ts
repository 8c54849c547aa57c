import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** `pod-started`, `pod-ready` and `pod-exited` in the event log. */
export function arrivalEvents(deps: Pick<PodObserverDeps, 'events'>): PodObserver {
  return {
    state: (pod) => {
      const state = pod.state;
      if (state.phase === 'running') deps.events.record({ type: 'pod-started', task: pod.spec.name, pod: pod.name, pid: state.pid });
    },
    ready: (pod) => {
      deps.events.record({ type: 'pod-ready', task: pod.spec.name, pod: pod.name });
    },
    exited: ({ pod, exit, restartInMs }) => {
      deps.events.record({ type: 'pod-exited', task: pod.spec.name, pod: pod.name, code: exit.code, signal: exit.signal, error: exit.startError, restartInMs });
    },
  };
}

/** `pod-stopped` in the event log, after the bus took back what the pod held. */
export function departureEvents(deps: Pick<PodObserverDeps, 'events'>): PodObserver {
  return {
    state: (pod) => {
      const state = pod.state;
      if (state.phase === 'stopped') deps.events.record({ type: 'pod-stopped', task: pod.spec.name, pod: pod.name, code: state.exit?.code ?? null, signal: state.exit?.signal ?? null });
    },
  };
}
