import { describe, expect, it } from 'vitest';
import { describeDeliveryPolicy } from './delivery-policy.case.js';
import { BroadcastPolicy, clearRecipients, type PodView } from './delivery-policy.js';

describeDeliveryPolicy({ name: 'broadcast', create: () => new BroadcastPolicy(), concurrency: Infinity });

const pod = (name: string, over: Partial<PodView> = {}): PodView => ({ name, accepting: true, writable: true, inFlight: 0, ...over });

describe('BroadcastPolicy', () => {
  it('chooses every accepting pod, in order', () => {
    const out: PodView[] = [];
    const pods = [pod('a'), pod('b', { accepting: false }), pod('c')];
    new BroadcastPolicy().select(pods, out);
    expect(out.map((p) => p.name)).toEqual(['a', 'c']);
  });

  it('is gated by the slowest accepting pod', () => {
    const out: PodView[] = [];
    new BroadcastPolicy().select([pod('a'), pod('b', { writable: false }), pod('c')], out);
    expect(out).toEqual([]);
  });

  it('is not gated by an unwritable pod that is not accepting (draining)', () => {
    const out: PodView[] = [];
    new BroadcastPolicy().select([pod('a'), pod('b', { writable: false, accepting: false })], out);
    expect(out.map((p) => p.name)).toEqual(['a']);
  });
});

describe('clearRecipients', () => {
  it('empties the array in place (same array, length 0)', () => {
    const out = [pod('a'), pod('b'), pod('c')];
    const same = out;
    clearRecipients(out);
    expect(out).toBe(same);
    expect(out).toHaveLength(0);
    clearRecipients(out);
    expect(out).toHaveLength(0);
  });
});
