/** How one process run ended. `startError` set means it never ran (spawn failed). */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly startError: string | null;
}
