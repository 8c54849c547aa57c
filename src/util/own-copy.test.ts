import { describe, expect, it } from 'vitest';
import { ownCopy } from './own-copy.js';

describe('ownCopy', () => {
  it('returns the same characters, short or long, ASCII or not', () => {
    const chunk = `${'x'.repeat(1000)}"t": payload of a message € ü${'y'.repeat(1000)}`;
    const data = chunk.slice(1005, 1034);
    for (const s of ['', 'a', 'twelve chars', data, '€'.repeat(40)]) expect(ownCopy(s)).toBe(s);
  });
});
