import { describe, expect, it } from 'vitest';
import { isSuccess, shouldRestart } from './restart-policy.js';

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
