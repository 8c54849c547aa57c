import { isSuccess } from '../../controller/restart-policy.js';
import { isJob } from '../../jobs/index.js';
import type { PodObserver, PodObserverDeps } from '../pod-observers.js';

/** The run record (summary table, JUnit): first starts, exits, restarts and each job replica's final run. */
export function runRecord(deps: Pick<PodObserverDeps, 'record' | 'logs'>): PodObserver {
  return {
    state: (pod) => {
      if (pod.state.phase === 'running') deps.record.podStarted(pod.spec.name);
    },
    exited: ({ pod, exit, restartInMs, ranMs }) => {
      // A job replica's final result: success per success_exit_codes, and its last output (its log buffer goes with the pod).
      const final = restartInMs === null && isJob(pod.spec);
      const lines = final ? deps.logs.query({ targets: [pod.name], tail: 50, since: null, previous: false }).map((l) => ({ stream: l.stream, text: l.line })) : [];
      const succeeded = pod.lastExit !== null && isSuccess(pod.lastExit, pod.spec.successExitCodes);
      deps.record.podExited(pod.spec.name, pod.name, exit, restartInMs !== null, final ? { succeeded, ranMs, lines } : null);
    },
  };
}
