import type { StartFailure } from './spawner.js';
import { statSync } from 'node:fs';

/** Why a command could not start, phrased for a person; null when the cwd looks usable. */
export function checkWorkingDirectory(command: string, cwd: string): string | null {
  try {
    if (!statSync(cwd).isDirectory()) return `cannot start "${command}": working directory "${cwd}" is not a directory`;
    return null;
  } catch {
    return `cannot start "${command}": working directory "${cwd}" does not exist`;
  }
}

/**
 * A start failure phrased for a person. Running out of a resource (fds, processes, memory) is
 * named with the limit to raise; it is this pod's failure, retried with backoff like any other.
 */
export function describeStartFailure(command: string, failure: StartFailure): string {
  const hasPath = command.includes('/');
  const { code, message } = failure;
  switch (code) {
    case 'ENOENT':
      return hasPath
        ? `cannot start "${command}": no such file`
        : `cannot start "${command}": command not found in PATH`;
    case 'EACCES':
      return `cannot start "${command}": permission denied (is it executable?)`;
    case 'ENOEXEC':
      return `cannot start "${command}": not an executable format (missing #! line?)`;
    case 'EMFILE': {
      const limit = failure.limit === undefined ? 'its open-file limit' : `its limit of ${failure.limit.soft} open files`;
      return `cannot start "${command}": too many open files (EMFILE), the orchestrator reached ${limit} (ulimit -n)`;
    }
    case 'ENFILE':
      return `cannot start "${command}": too many open files in the system (ENFILE), the kernel's limit fs.file-max was reached`;
    case 'EAGAIN':
      return `cannot start "${command}": no more processes allowed (EAGAIN), the limit on processes (ulimit -u) or the cgroup's pids.max was reached`;
    case 'ENOMEM':
      return `cannot start "${command}": not enough memory to start a process (ENOMEM)`;
    default:
      return `cannot start "${command}": ${message} (${code})`;
  }
}
