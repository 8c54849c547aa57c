import type { BackoffSpec } from '../config/types.js';

/**
 * Restart delay after the `failures`-th consecutive exit (1-based), CrashLoopBackOff tuned for
 * local work: the first restart is immediate, then base, 2·base, 4·base … capped at max.
 * `jitter` in [0, 1) spreads each delay by ±jitter·delay using `random` (0 ≤ random() < 1) so
 * many crashing replicas do not restart in lockstep; 0 keeps delays exact.
 */
export function restartDelay(spec: BackoffSpec, failures: number, jitter = 0, random: () => number = Math.random): number {
  if (failures <= 1) return 0;
  // 2 ** 52 would overflow the cap computation long before it matters; clamp the exponent.
  const exponent = Math.min(failures - 2, 52);
  const raw = Math.min(spec.baseMs * 2 ** exponent, spec.maxMs);
  if (jitter <= 0) return raw;
  const spread = raw * jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(spec.maxMs, Math.round(raw + spread)));
}

/**
 * Consecutive-failure count after a run that lasted `ranMs`: a run of at least `resetAfterMs`
 * proves the pod healthy, so the count restarts from this exit.
 */
export function nextFailureCount(spec: BackoffSpec, previous: number, ranMs: number): number {
  return ranMs >= spec.resetAfterMs ? 1 : previous + 1;
}
