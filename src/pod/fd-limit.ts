import { readdirSync, readFileSync } from 'node:fs';

/** The process's file descriptor limit (RLIMIT_NOFILE): the soft one applies, the hard one caps it. */
export interface OpenFileLimit {
  readonly soft: number;
  readonly hard: number;
}

export interface OpenFileUsage extends OpenFileLimit {
  /** Descriptors open now. */
  readonly open: number;
}

/**
 * Descriptors a running pod holds in the orchestrator: its stdin, stdout and stderr pipes.
 * Starting one briefly needs five more (the child's ends and libuv's exec-status pipe).
 */
export const FDS_PER_POD = 3;
export const SPAWN_EXTRA_FDS = 5;
/** Warn once the estimate passes this share of the limit: probes and API clients need fds too. */
const WARN_SHARE = 0.8;

/** Parses the "Max open files" line of /proc/PID/limits; null when absent or unlimited. */
export function parseOpenFileLimit(limits: string): OpenFileLimit | null {
  const match = /^Max open files\s+(\d+)\s+(\d+|unlimited)\s/m.exec(limits);
  if (match === null) return null;
  const soft = Number(match[1]);
  return { soft, hard: match[2] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[2]) };
}

let cachedLimit: OpenFileLimit | null = null;

/**
 * This process's limit, from /proc/self/limits. Cached once read: it only changes by prlimit from
 * outside, and when it matters most, with every descriptor taken, it can no longer be read.
 */
export function openFileLimit(): OpenFileLimit | null {
  if (cachedLimit !== null) return cachedLimit;
  try {
    cachedLimit = parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
  return cachedLimit;
}

/** The limit and the descriptors open now; null where /proc is missing (or no descriptor is free). */
export function openFileUsage(): OpenFileUsage | null {
  const limit = openFileLimit();
  if (limit === null) return null;
  try {
    // The listing itself holds one descriptor while it runs.
    return { ...limit, open: readdirSync('/proc/self/fd').length - 1 };
  } catch {
    return null;
  }
}

/**
 * A warning when `replicas` pods would use most of the fd limit, else null. Node has already
 * raised the soft limit to the hard one at its start-up, so the hard limit is the one to raise.
 */
export function fdLimitWarning(replicas: number, usage: OpenFileUsage): string | null {
  const needed = usage.open + replicas * FDS_PER_POD + SPAWN_EXTRA_FDS;
  if (needed <= usage.soft * WARN_SHARE) return null;
  const verdict = needed > usage.soft ? 'some pods will fail to start with "too many open files"' : 'little is left for probes and API clients';
  return (
    `${replicas} replicas × ${FDS_PER_POD} file descriptors per pod + ${usage.open} open now = ${needed}, ` +
    `against an open-file limit of ${usage.soft}: ${verdict}. Raise the limit before starting (ulimit -n, or LimitNOFILE= in a systemd unit)`
  );
}
