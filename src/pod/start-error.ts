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

export function describeStartFailure(command: string, code: string, message: string): string {
  const hasPath = command.includes('/');
  switch (code) {
    case 'ENOENT':
      return hasPath
        ? `cannot start "${command}": no such file`
        : `cannot start "${command}": command not found in PATH`;
    case 'EACCES':
      return `cannot start "${command}": permission denied (is it executable?)`;
    case 'ENOEXEC':
      return `cannot start "${command}": not an executable format (missing #! line?)`;
    default:
      return `cannot start "${command}": ${message} (${code})`;
  }
}
