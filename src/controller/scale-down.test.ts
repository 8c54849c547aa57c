import { describe, expect, it } from 'vitest';
import { chooseVictims, lowestFreeIndex } from './scale-down.js';

describe('chooseVictims', () => {
  const pod = (index: number, phase: 'running' | 'backoff' | 'starting', inFlight = 0) => ({ index, phase, inFlight });

  it('removes pods that are not serving first, then idle ones, then the least busy, highest index on ties', () => {
    const pods = [pod(0, 'running', 2), pod(1, 'running', 0), pod(2, 'backoff'), pod(3, 'running', 0), pod(4, 'running', 1)];
    expect(chooseVictims(pods, 1).map((p) => p.index)).toEqual([2]);
    expect(chooseVictims(pods, 3).map((p) => p.index)).toEqual([2, 3, 1]);
    expect(chooseVictims(pods, 5).map((p) => p.index)).toEqual([2, 3, 1, 4, 0]);
  });

  it('removes nothing for a non-positive count', () => {
    expect(chooseVictims([pod(0, 'running')], 0)).toEqual([]);
  });
});

describe('lowestFreeIndex', () => {
  it('fills gaps before growing', () => {
    expect(lowestFreeIndex([])).toBe(0);
    expect(lowestFreeIndex([0, 1, 2])).toBe(3);
    expect(lowestFreeIndex([1, 2, 3])).toBe(0);
    expect(lowestFreeIndex([0, 2])).toBe(1);
  });
});
