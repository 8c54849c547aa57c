/** The outcome of one check. `reason` says why it failed, for logs and events. */
export type ProbeResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ProbeRunOptions {
  /** The check fails (and an exec probe's process group is killed) after this long. */
  readonly timeoutMs: number;
  /** exec: working directory (the pod's). */
  readonly cwd: string;
  /** exec: variables added to the inherited environment (the pod's `env`). */
  readonly env: Readonly<Record<string, string>>;
  /** Aborting ends the check at once with `{ ok: false, reason: 'aborted' }`. */
  readonly signal?: AbortSignal;
}

/** One check as the Prober sees it: given an abort signal, settle with a result (or reject). */
export type Check = (signal: AbortSignal) => Promise<ProbeResult>;

export const ABORTED: ProbeResult = { ok: false, reason: 'aborted' };
