import type { RestartPolicy } from '../config/types.js';
import type { ExitInfo } from '../pod/exit.js';

export function isSuccess(exit: ExitInfo, successCodes: readonly number[] = [0]): boolean {
  return exit.startError === null && exit.signal === null && exit.code !== null && successCodes.includes(exit.code);
}

/** Whether a pod that exited on its own (not stopped by us) is started again, restart limits aside. */
export function shouldRestart(policy: RestartPolicy, exit: ExitInfo, successCodes: readonly number[] = [0]): boolean {
  switch (policy) {
    case 'always':
      return true;
    case 'on-failure':
      return !isSuccess(exit, successCodes);
    case 'never':
      return false;
  }
}

/** `max_restarts`: null is unlimited; a replica that has been restarted that often has failed for good. */
export function withinRestartLimit(maxRestarts: number | null, restartsSoFar: number): boolean {
  return maxRestarts === null || restartsSoFar < maxRestarts;
}

export { describeExit } from '../pod/exit.js';
