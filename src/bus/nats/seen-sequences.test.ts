import { describe, expect, it } from 'vitest';
import { SeenSequences } from './seen-sequences.js';

describe('SeenSequences', () => {
  it('reports a sequence received before, whatever the order', () => {
    const seen = new SeenSequences();
    expect([1, 2, 3].map((s) => seen.add(s))).toEqual([true, true, true]);
    expect([2, 1, 4, 3].map((s) => seen.add(s))).toEqual([false, false, true, false]);
    expect(seen.size).toBe(4);
  });

  it('forgets what the ack floor covers, keeps what is above it', () => {
    const seen = new SeenSequences();
    for (const s of [5, 1, 2, 9, 3]) seen.add(s);
    seen.forgetThrough(3);
    expect(seen.size).toBe(2);
    expect(seen.add(9)).toBe(false);
    expect(seen.add(5)).toBe(false);
    expect(seen.add(2)).toBe(true);
  });

  it('past its cap forgets the oldest received first; clear forgets all', () => {
    const seen = new SeenSequences(3);
    for (const s of [1, 2, 3, 4]) seen.add(s);
    expect(seen.size).toBe(3);
    expect(seen.add(1)).toBe(true);
    expect(seen.add(4)).toBe(false);
    seen.clear();
    expect(seen.size).toBe(0);
    expect(seen.add(4)).toBe(true);
  });
});
