/** How one process run ended. `startError` set means it never ran (spawn failed). */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly startError: string | null;
}

/** One phrase for how a run ended, the same in logs, events, the summary and reports. */
export function describeExit(exit: { readonly code: number | null; readonly signal: string | null; readonly startError: string | null }): string {
  if (exit.startError !== null) return exit.startError;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
