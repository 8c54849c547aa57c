import { describe, expect, it } from 'vitest';
import { OrderedOutput } from './ordered-output.js';

function record(keepOrder: boolean): { out: OrderedOutput; written: string[] } {
  const written: string[] = [];
  return { out: new OrderedOutput(keepOrder, (d) => void written.push(d)), written };
}

describe('OrderedOutput', () => {
  it('keepOrder: writes in input order, holding back what came early, skipping failed inputs', () => {
    const { out, written } = record(true);
    out.settle(3, 'c');
    out.settle(2, null);
    expect(written).toEqual([]);
    expect(out.waiting).toBe(2);
    out.settle(1, 'a');
    expect(written).toEqual(['a', 'c']);
    out.settle(5, 'e');
    out.settle(4, 'd');
    expect(written).toEqual(['a', 'c', 'd', 'e']);
    expect([out.settled, out.waiting]).toEqual([5, 0]);
  });

  it('completion order: writes at once; a second settle of an input is ignored', () => {
    const { out, written } = record(false);
    out.settle(2, 'b');
    out.settle(1, 'a');
    out.settle(2, 'again');
    out.settle(3, null);
    out.settle(1, 'again');
    expect(written).toEqual(['b', 'a']);
    expect([out.settled, out.waiting]).toEqual([3, 0]);
  });
});
