import { formatDuration } from '../util/duration.js';
import { ABORTED, type ProbeResult } from './types.js';

/**
 * Runs `start` with a deadline and an optional outer abort signal. `start` receives one signal that
 * fires on either, and must release what it holds (sockets, processes) when it does; whichever of
 * result, timeout or abort comes first settles the promise, exactly once.
 */
export function withDeadline(timeoutMs: number, outer: AbortSignal | undefined, start: (signal: AbortSignal) => Promise<ProbeResult>): Promise<ProbeResult> {
  if (outer?.aborted === true) return Promise.resolve(ABORTED);
  const controller = new AbortController();
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      controller.abort();
      resolve(result);
    };
    const onAbort = (): void => finish(ABORTED);
    const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${formatDuration(timeoutMs)}` }), timeoutMs);
    outer?.addEventListener('abort', onAbort, { once: true });
    start(controller.signal).then(finish, (error: unknown) => finish({ ok: false, reason: errorReason(error) }));
  });
}

export function errorReason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
