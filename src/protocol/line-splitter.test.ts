import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

function split(chunks: string[], maxLineBytes: number, stripCr?: boolean) {
  const out: (string | number)[] = [];
  const s = createLineSplitter({ maxLineBytes, ...(stripCr === undefined ? {} : { stripCr }) }, (l) => out.push(l), (n) => out.push(n));
  for (const c of chunks) s.push(Buffer.from(c));
  s.end();
  return out;
}

describe('line splitter', () => {
  it('splits across chunks and flushes the tail', () => {
    expect(split(['ab', 'c\nd', 'e\n\nf'], 100)).toEqual(['abc', 'de', '', 'f']);
  });

  it('strips a trailing \\r unless told not to', () => {
    expect(split(['a\r\nb\r', '\n'], 100)).toEqual(['a', 'b']);
    expect(split(['a\r\nb\r', '\n'], 100, false)).toEqual(['a\r', 'b\r']);
  });

  it('reports oversize lines by byte length and continues', () => {
    expect(split(['12345', '678', '\nok\n', '€€'], 4)).toEqual([8, 'ok', 6]);
  });

  it('passes byte lengths to onLine', () => {
    const lens: number[] = [];
    const s = createLineSplitter({ maxLineBytes: 100 }, (_l, n) => lens.push(n), () => {});
    s.push(Buffer.from('€\nab\r\n'));
    expect(lens).toEqual([3, 2]);
  });

  it('does not let a small tail pin a large chunk', () => {
    const lines: string[] = [];
    const s = createLineSplitter({ maxLineBytes: 2000 }, (l) => lines.push(l), () => {});
    const big = Buffer.alloc(1000, 0x61);
    big[997] = 0x0a;
    s.push(big);
    big.fill(0x62); // a caller reusing its buffer must not corrupt the held tail
    s.push(Buffer.from('c\n'));
    expect(lines).toEqual(['a'.repeat(997), 'aac']);
  });
});
