import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { debounce } from './debounce.js';

describe('debounce', () => {
  test('a burst of calls runs fn once, the quiet period after the last call', () => {
    const clock = new VirtualClock();
    const runs: number[] = [];
    const d = debounce(clock, 300, () => runs.push(clock.now()));
    d.call();
    clock.advance(100);
    d.call();
    clock.advance(299);
    d.call();
    clock.advance(299);
    expect(runs).toEqual([]);
    clock.advance(1);
    expect(runs).toEqual([699]);
    expect(clock.pending).toBe(0);
    clock.advance(10_000);
    expect(runs).toEqual([699]);
  });

  test('a call after the run starts a new quiet period and runs again', () => {
    const clock = new VirtualClock();
    let runs = 0;
    const d = debounce(clock, 50, () => runs++);
    d.call();
    clock.advance(50);
    d.call();
    clock.advance(49);
    expect(runs).toBe(1);
    clock.advance(1);
    expect(runs).toBe(2);
  });

  test('cancel clears the pending timer; a later call starts afresh', () => {
    const clock = new VirtualClock();
    let runs = 0;
    const d = debounce(clock, 50, () => runs++);
    d.call();
    d.call();
    expect(clock.pending).toBe(1);
    d.cancel();
    expect(clock.pending).toBe(0);
    clock.advance(1_000);
    expect(runs).toBe(0);
    d.cancel();
    d.call();
    clock.advance(50);
    expect(runs).toBe(1);
  });
});
