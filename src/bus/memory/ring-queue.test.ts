import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingQueue } from './ring-queue.js';

describe('RingQueue', () => {
  it('behaves like an array deque (property, through growth)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), value: fc.integer() }),
      fc.record({ kind: fc.constant('unshift' as const), value: fc.integer() }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('unshiftAll' as const), values: fc.array(fc.integer(), { maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const q = new RingQueue<number>(2);
        const model: number[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            q.push(o.value);
            model.push(o.value);
          } else if (o.kind === 'unshift') {
            q.unshift(o.value);
            model.unshift(o.value);
          } else if (o.kind === 'unshiftAll') {
            q.unshiftAll(o.values);
            model.unshift(...o.values);
          } else {
            expect(q.shift()).toBe(model.shift());
          }
          expect(q.length).toBe(model.length);
          expect(q.peek()).toBe(model[0]);
        }
        expect([...q]).toEqual(model);
        expect(q.drain()).toEqual(model);
        expect(q.length).toBe(0);
      }),
    );
  });
});
