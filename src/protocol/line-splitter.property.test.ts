import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

type Out = { line: string; bytes: number } | 'oversize';

/** What the splitter must produce: the whole stream split on "\n", each line decoded on its own. */
function reference(bytes: Buffer, max: number): Out[] {
  const out: Out[] = [];
  let start = 0;
  while (start < bytes.length) {
    let nl = bytes.indexOf(0x0a, start);
    const last = nl === -1;
    if (last) nl = bytes.length;
    let end = nl;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    out.push(end - start > max ? 'oversize' : { line: bytes.toString('utf8', start, end), bytes: end - start });
    start = nl + 1;
  }
  return out;
}

function actual(chunks: readonly Buffer[], max: number): Out[] {
  const out: Out[] = [];
  const s = createLineSplitter({ maxLineBytes: max }, (line, bytes) => out.push({ line, bytes }), () => out.push('oversize'));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

// Bytes that matter: newlines, CR, ASCII, the pieces of multi-byte UTF-8, and invalid bytes.
const unit = fc.oneof(
  fc.constantFrom([0x0a], [0x0d], [0x0d, 0x0a], [0x61], [0x22], [0xe2, 0x82, 0xac], [0xc3, 0xa9], [0xf0, 0x9d, 0x84, 0x9e], [0x80], [0xff], [0xe2, 0x82], [0xc3]),
  fc.array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: 1, maxLength: 12 }),
);
const stream = fc.array(unit, { maxLength: 60 }).map((us) => Buffer.from(us.flat()));

function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks.filter((c) => c.length > 0);
}

describe('line splitter under any chunking', () => {
  it('gives every line, its text and byte count, as one decode per line would', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 1, max: 40 }), (bytes, points, max) => {
        expect(actual(cut(bytes, points), max)).toEqual(reference(bytes, max));
      }),
      { numRuns: 2000 },
    );
  });
});
