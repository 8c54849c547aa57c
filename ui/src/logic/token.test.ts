import { describe, expect, it } from 'vitest';
import { tokenFromHash } from './token.js';

describe('tokenFromHash', () => {
  it('takes the token and keeps the rest of the fragment', () => {
    expect(tokenFromHash('#token=abc%2Bdef')).toEqual({ token: 'abc+def', rest: '' });
    expect(tokenFromHash('#token=t1&x=1')).toEqual({ token: 't1', rest: '#x=1' });
  });
  it('no token, or an empty one', () => {
    expect(tokenFromHash('')).toEqual({ token: null, rest: '' });
    expect(tokenFromHash('#token=')).toEqual({ token: null, rest: '' });
  });
});
