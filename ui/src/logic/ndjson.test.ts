import { describe, expect, it } from 'vitest';
import { ndjsonSplitter } from './ndjson.js';

describe('ndjsonSplitter', () => {
  it('joins lines split across chunks and skips a bad line without ending the stream', () => {
    const values: unknown[] = [];
    const bad: string[] = [];
    const s = ndjsonSplitter((v) => values.push(v), (l) => bad.push(l));
    s.push('{"a":1}\n{"b"');
    s.push(':2}\nnot json\n\n{"c":');
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    s.push('3}');
    s.end();
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(bad).toEqual(['not json']);
  });
});
