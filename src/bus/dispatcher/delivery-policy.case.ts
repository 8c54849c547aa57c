/**
 * The conformance suite every DeliveryPolicy must pass (run by one *.test.ts per implementation,
 * like hono's router `common.case.test.ts`). Not a test file itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeliveryPolicy, PodView } from './delivery-policy.js';

export interface PolicyCase {
  readonly name: string;
  /** A fresh policy. */
  create(): DeliveryPolicy;
  /** Unacknowledged messages a pod may hold under this policy (Infinity when no acks). */
  readonly concurrency: number;
}

interface MutablePod {
  name: string;
  accepting: boolean;
  writable: boolean;
  inFlight: number;
}

const pod = (name: string, over: Partial<MutablePod> = {}): MutablePod => ({
  name,
  accepting: true,
  writable: true,
  inFlight: 0,
  ...over,
});

const arbPods = (concurrency: number) =>
  fc.array(
    fc.record({
      accepting: fc.boolean(),
      writable: fc.boolean(),
      inFlight: fc.integer({ min: 0, max: Number.isFinite(concurrency) ? concurrency : 3 }),
    }),
    { maxLength: 6 },
  ).map((ps) => ps.map((p, i) => pod(`p${i}`, Number.isFinite(concurrency) ? p : { ...p, inFlight: 0 })));

export function describeDeliveryPolicy(c: PolicyCase): void {
  describe(`DeliveryPolicy conformance: ${c.name}`, () => {
    it('chooses nobody when there are no pods', () => {
      const out: PodView[] = [pod('stale')];
      c.create().select([], out);
      expect(out).toEqual([]);
    });

    it('chooses nobody when no pod is accepting (not ready / draining)', () => {
      const out: PodView[] = [];
      c.create().select([pod('a', { accepting: false }), pod('b', { accepting: false })], out);
      expect(out).toEqual([]);
    });

    it('makes progress when every accepting pod is writable and idle', () => {
      const out: PodView[] = [];
      c.create().select([pod('a'), pod('b', { accepting: false }), pod('c')], out);
      expect(out.length).toBeGreaterThan(0);
    });

    it('never chooses a non-accepting, unwritable or full pod, nor one pod twice (property)', () => {
      fc.assert(
        fc.property(arbPods(c.concurrency), fc.integer({ min: 1, max: 5 }), (pods, calls) => {
          const policy = c.create();
          const out: MutablePod[] = [];
          for (let i = 0; i < calls; i++) {
            policy.select(pods, out);
            for (const chosen of out) {
              expect(pods).toContain(chosen);
              expect(chosen.accepting).toBe(true);
              expect(chosen.writable).toBe(true);
              expect(chosen.inFlight).toBeLessThan(c.concurrency);
            }
            expect(new Set(out).size).toBe(out.length);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('delivers a FIFO queue so every pod sees messages in queue order (simulation)', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.array(fc.constantFrom('deliver', 'ack', 'full', 'drain', 'leave', 'join'), { maxLength: 80 }),
          fc.integer({ min: 0, max: 3 }),
          (podCount, actions, target) => {
            const policy = c.create();
            const pods = Array.from({ length: podCount }, (_, i) => pod(`p${i}`));
            const received = new Map<string, number[]>(pods.map((p) => [p.name, []]));
            const out: MutablePod[] = [];
            let next = 0;
            for (const action of actions) {
              const p = pods[target % pods.length] as MutablePod;
              if (action === 'deliver') {
                policy.select(pods, out);
                if (out.length === 0) continue;
                for (const r of out) {
                  received.get(r.name)?.push(next);
                  if (Number.isFinite(c.concurrency)) r.inFlight++;
                }
                next++;
              } else if (action === 'ack' && p.inFlight > 0) p.inFlight--;
              else if (action === 'full') p.writable = false;
              else if (action === 'drain') p.writable = true;
              else if (action === 'leave') p.accepting = false;
              else if (action === 'join') p.accepting = true;
              target++;
            }
            for (const seq of received.values()) expect(seq).toEqual([...seq].sort((a, b) => a - b));
          },
        ),
        { numRuns: 300 },
      );
    });
  });
}
