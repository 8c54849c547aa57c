import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { repeatEvery } from './clock.js';

describe('repeatEvery', () => {
  test('runs every period until cancelled, also when cancelled from inside the callback', () => {
    const clock = new VirtualClock();
    const runs: number[] = [];
    const cancel = repeatEvery(clock, 50, () => {
      runs.push(clock.now());
      if (runs.length === 3) cancel();
    });
    clock.advance(1_000);
    expect(runs).toEqual([50, 100, 150]);
    expect(clock.pending).toBe(0);
  });

  test('keeps repeating after a callback throws, as setInterval does', () => {
    const clock = new VirtualClock();
    let runs = 0;
    const cancel = repeatEvery(clock, 10, () => {
      runs++;
      throw new Error('boom');
    });
    expect(() => clock.advance(10)).toThrow('boom');
    expect(() => clock.advance(10)).toThrow('boom');
    expect(runs).toBe(2);
    cancel();
    expect(clock.pending).toBe(0);
  });
});
