import type { Server } from 'node:net';

/** Resource limits of one control API listener (docs/api.md, "Limits"). All times in milliseconds. */
export interface ConnectionLimits {
  /** Open connections at once; the next one is closed as soon as it is accepted. */
  readonly maxConnections: number;
  /** From connect (or the end of the previous answer) to the end of the request headers. */
  readonly headersTimeoutMs: number;
  /** From connect to the end of the request body; answers (streams included) are not bounded. */
  readonly requestTimeoutMs: number;
  /** How long a connection may sit idle between two requests. */
  readonly keepAliveTimeoutMs: number;
  /** How often expired header / request deadlines are enforced (node checks on a timer). */
  readonly checkIntervalMs: number;
}

/**
 * TCP is reachable by every local user (and more with --api-allow-remote), so it gets a tight cap:
 * a client that opens thousands of idle connections cannot exhaust the orchestrator's descriptors.
 */
export const TCP_LIMITS: ConnectionLimits = {
  maxConnections: 128,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5000,
  checkIntervalMs: 1000,
};

/** The Unix socket is only reachable by our own user and its pods (which may each hold a stream). */
export const UNIX_LIMITS: ConnectionLimits = { ...TCP_LIMITS, maxConnections: 512 };

/** Refused connections are reported at most once per this window, so a flood cannot flood the log. */
export const DROP_REPORT_WINDOW_MS = 10_000;

/**
 * Warns when `server` refuses connections for being at its limit: once at the first refusal, then
 * one count per window while refusals go on. Returns a function that stops reporting.
 */
export function reportDrops(server: Server, what: string, limit: number, warn: (message: string) => void, windowMs = DROP_REPORT_WINDOW_MS): () => void {
  let more = 0;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    timer = null;
    if (more === 0) return;
    warn(`${what}: refused ${more} more connection${more === 1 ? '' : 's'} in the last ${windowMs / 1000} s (limit ${limit} open)`);
    more = 0;
    timer = setTimeout(flush, windowMs).unref();
  };
  const onDrop = (): void => {
    if (timer !== null) {
      more += 1;
      return;
    }
    warn(`${what}: refused a connection: ${limit} connections are open, the limit`);
    timer = setTimeout(flush, windowMs).unref();
  };
  server.on('drop', onDrop);
  return () => {
    server.off('drop', onDrop);
    if (timer !== null) clearTimeout(timer);
  };
}
