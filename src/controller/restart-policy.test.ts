import { describe, expect, it } from 'vitest';
import { isSuccess, shouldRestart, withinRestartLimit } from './restart-policy.js';

const ok = { code: 0, signal: null, startError: null };
const fail = { code: 1, signal: null, startError: null };
const killed = { code: null, signal: 'SIGKILL' as const, startError: null };
const notFound = { code: null, signal: null, startError: 'command not found' };

describe('shouldRestart', () => {
  it('always restarts any exit', () => {
    expect([ok, fail, killed, notFound].map((e) => shouldRestart('always', e))).toEqual([true, true, true, true]);
  });
  it('on-failure restarts non-zero exits, signals and start errors only', () => {
    expect([ok, fail, killed, notFound].map((e) => shouldRestart('on-failure', e))).toEqual([false, true, true, true]);
  });
  it('never restarts nothing', () => {
    expect([ok, fail, killed, notFound].map((e) => shouldRestart('never', e))).toEqual([false, false, false, false]);
  });
  it('treats listed success codes as success', () => {
    expect(isSuccess({ code: 3, signal: null, startError: null }, [0, 3])).toBe(true);
    expect(isSuccess({ code: 3, signal: null, startError: null })).toBe(false);
  });
});

describe('success_exit_codes and max_restarts', () => {
  it('on-failure does not restart an exit code listed as success', () => {
    expect(shouldRestart('on-failure', { code: 3, signal: null, startError: null }, [0, 3])).toBe(false);
    expect(shouldRestart('on-failure', { code: 0, signal: null, startError: null }, [3])).toBe(true);
  });
  it('allows exactly max_restarts restarts; null is unlimited', () => {
    expect([0, 1, 2].map((n) => withinRestartLimit(2, n))).toEqual([true, true, false]);
    expect(withinRestartLimit(0, 0)).toBe(false);
    expect(withinRestartLimit(null, 10_000)).toBe(true);
  });
});
