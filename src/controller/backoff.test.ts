import { describe, expect, it } from 'vitest';
import { nextFailureCount, restartDelay } from './backoff.js';

const spec = { baseMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

describe('restartDelay', () => {
  it('restarts immediately after the first failure', () => {
    expect(restartDelay(spec, 1)).toBe(0);
  });

  it('doubles from base on each further consecutive failure', () => {
    expect([2, 3, 4, 5, 6].map((n) => restartDelay(spec, n))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('is capped at max', () => {
    expect(restartDelay(spec, 8)).toBe(30_000);
    expect(restartDelay(spec, 10_000)).toBe(30_000);
  });

  it('spreads delays by at most ±jitter and never exceeds max', () => {
    expect(restartDelay(spec, 3, 0.1, () => 0)).toBe(900);
    expect(restartDelay(spec, 3, 0.1, () => 0.999999)).toBe(1100);
    expect(restartDelay(spec, 20, 0.5, () => 0.999999)).toBe(30_000);
  });
});

describe('nextFailureCount', () => {
  it('counts consecutive short runs', () => {
    expect(nextFailureCount(spec, 0, 10)).toBe(1);
    expect(nextFailureCount(spec, 3, 59_999)).toBe(4);
  });

  it('resets after a run of at least reset_after', () => {
    expect(nextFailureCount(spec, 7, 60_000)).toBe(1);
  });
});
