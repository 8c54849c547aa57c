/** How a run ended. */
export type RunOutcome =
  /** Every job finished (and, with exitOnComplete, the bus drained); `failure` names the first failure, null if all succeeded. */
  | { readonly type: 'completed'; readonly failure: string | null }
  /** Stopped on request (signal, API). */
  | { readonly type: 'stopped'; readonly reason: string };
