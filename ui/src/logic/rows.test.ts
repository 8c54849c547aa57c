import { describe, expect, it } from 'vitest';
import { appendCapped } from './capped.js';
import { mergeRows, podsByTask } from './rows.js';
import { mergeBySeq } from './seq.js';

describe('rows', () => {
  it('mergeRows replaces by name, appends new rows, removes gone ones, keeps the order', () => {
    const rows = [
      { name: 'a', v: 1 },
      { name: 'b', v: 1 },
      { name: 'c', v: 1 },
    ];
    expect(mergeRows(rows, [{ name: 'b', v: 2 }, { name: 'd', v: 1 }], ['a'])).toEqual([
      { name: 'b', v: 2 },
      { name: 'c', v: 1 },
      { name: 'd', v: 1 },
    ]);
  });

  it('podsByTask groups and orders by index', () => {
    const groups = podsByTask([
      { task: 'w', index: 2, name: 'w-2' },
      { task: 'p', index: 0, name: 'p-0' },
      { task: 'w', index: 0, name: 'w-0' },
    ]);
    expect([...groups.keys()]).toEqual(['w', 'p']);
    expect(groups.get('w')?.map((p) => p.name)).toEqual(['w-0', 'w-2']);
  });

  it('mergeBySeq shows each line once, in order, when a backlog overlaps the stream', () => {
    const live = [{ seq: 5 }, { seq: 6 }];
    expect(mergeBySeq(live, [{ seq: 3 }, { seq: 4 }, { seq: 5 }])).toEqual([{ seq: 3 }, { seq: 4 }, { seq: 5 }, { seq: 6 }]);
    expect(mergeBySeq(live, [{ seq: 7 }])).toEqual([{ seq: 5 }, { seq: 6 }, { seq: 7 }]);
    expect(mergeBySeq([], [])).toEqual([]);
  });

  it('appendCapped drops the oldest past the cap', () => {
    expect(appendCapped([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(appendCapped([1], [2], 4)).toEqual([1, 2]);
  });
});
