import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items in order once full', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it('resizes keeping the newest items', () => {
    const ring = new RingBuffer<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i);
    ring.resize(2);
    expect(ring.toArray()).toEqual([5, 6]);
    ring.resize(3);
    ring.push(7);
    ring.push(8);
    expect(ring.toArray()).toEqual([6, 7, 8]);
  });

  it('keeps nothing with capacity 0', () => {
    const ring = new RingBuffer<number>(0);
    ring.push(1);
    expect(ring.toArray()).toEqual([]);
  });
});
