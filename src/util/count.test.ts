import { describe, expect, it } from 'vitest';
import { formatCount } from './count.js';

describe('formatCount', () => {
  it('groups digits by three like en-US', () => {
    for (const n of [0, 7, 42, 999, 1000, 18342, 186007, 1000000, 9007199254740991, -1, -1234, -999999]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves what is not a safe integer as String() writes it', () => {
    expect(formatCount(1.5)).toBe('1.5');
    expect(formatCount(Number.NaN)).toBe('NaN');
  });
});
