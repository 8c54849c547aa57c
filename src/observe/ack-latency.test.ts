import { describe, expect, it } from 'vitest';
import { ACK_LATENCY_BUCKETS, AckLatency } from './ack-latency.js';

describe('AckLatency', () => {
  it('puts each latency in the first bucket whose bound is at least it (bounds inclusive), +Inf last', () => {
    const h = new AckLatency();
    for (const ms of [0, 5, 6, 10_000, 10_001, -3]) h.observe('w', ms);
    const counts = h.of('w')?.counts ?? [];
    expect(counts).toHaveLength(ACK_LATENCY_BUCKETS.length + 1);
    expect(counts[0]).toBe(3); // 0, 5 ms (= 0.005 s), and a negative clock step as 0
    expect(counts[1]).toBe(1); // 6 ms
    expect(counts[ACK_LATENCY_BUCKETS.length - 1]).toBe(1); // 10 s exactly
    expect(counts[ACK_LATENCY_BUCKETS.length]).toBe(1); // above 10 s
    expect(h.of('w')).toMatchObject({ count: 6 });
    expect(h.of('w')?.sumSeconds).toBeCloseTo(20.012, 9);
    expect(h.of('other')).toBeUndefined();
  });
});
