import { describe, expect, it } from 'vitest';
import { describeDeliveryPolicy } from './delivery-policy.case.js';
import { RoundRobinPolicy } from './delivery-policy.js';

describeDeliveryPolicy({ name: 'round robin (concurrency 1)', create: () => new RoundRobinPolicy(1), concurrency: 1 });
describeDeliveryPolicy({ name: 'round robin (concurrency 3)', create: () => new RoundRobinPolicy(3), concurrency: 3 });

interface P {
  name: string;
  accepting: boolean;
  writable: boolean;
  inFlight: number;
}
const pod = (name: string, over: Partial<P> = {}): P => ({ name, accepting: true, writable: true, inFlight: 0, ...over });

describe('RoundRobinPolicy', () => {
  it('splits 300 messages over 3 idle pods exactly 100 each, in rotation', () => {
    const policy = new RoundRobinPolicy(1);
    const pods = [pod('a'), pod('b'), pod('c')];
    const out: P[] = [];
    const counts = new Map<string, number>();
    const order: string[] = [];
    for (let i = 0; i < 300; i++) {
      policy.select(pods, out);
      expect(out).toHaveLength(1);
      const chosen = out[0] as P;
      counts.set(chosen.name, (counts.get(chosen.name) ?? 0) + 1);
      if (i < 6) order.push(chosen.name);
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 100, b: 100, c: 100 });
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('respects concurrency: a pod holding N messages is skipped, then nobody when all are full', () => {
    const policy = new RoundRobinPolicy(2);
    const pods = [pod('a'), pod('b')];
    const out: P[] = [];
    const chosen: string[] = [];
    for (let i = 0; i < 5; i++) {
      policy.select(pods, out);
      const p = out[0];
      if (p === undefined) {
        chosen.push('-');
        continue;
      }
      p.inFlight++;
      chosen.push(p.name);
    }
    expect(chosen).toEqual(['a', 'b', 'a', 'b', '-']);
  });

  it('skips busy, unwritable and non-accepting pods and keeps rotating fairly', () => {
    const policy = new RoundRobinPolicy(1);
    const pods = [pod('a', { inFlight: 1 }), pod('b', { writable: false }), pod('c', { accepting: false }), pod('d')];
    const out: P[] = [];
    policy.select(pods, out);
    expect(out.map((p) => p.name)).toEqual(['d']);
    (pods[0] as P).inFlight = 0;
    (pods[1] as P).writable = true;
    policy.select(pods, out);
    expect(out.map((p) => p.name)).toEqual(['a']); // rotation continues after d, wrapping to a
    policy.select(pods, out);
    expect(out.map((p) => p.name)).toEqual(['b']);
  });

  it('chooses exactly one pod', () => {
    const out: P[] = [];
    new RoundRobinPolicy(5).select([pod('a'), pod('b'), pod('c')], out);
    expect(out).toHaveLength(1);
  });
});
