import { OrchestratorError } from '../util/errors.js';

/** Bad command-line usage: exit code 2 with the message and a pointer to --help. */
export class UsageError extends OrchestratorError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  timeout: 124,
} as const;

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGPIPE: 13, SIGTERM: 15 };

/** 128 + signal number, the shell convention for "stopped by a signal". */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (signalNumbers[signal] ?? 15);
}
