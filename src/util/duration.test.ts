import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  test.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0s', 0],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  test.each(['10', '', 's', '10 s', '-1s', '10sec', '1d'])('rejects %j', (text) => {
    expect(parseDuration(text)).toEqual({
      ok: false,
      error: `invalid duration ${JSON.stringify(text)}: use a number with a unit (ms, s, m, h), e.g. "500ms", "10s", "1m30s"`,
    });
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [250, '250ms'],
    [10_000, '10s'],
    [90_000, '1m30s'],
    [3_600_500, '1h500ms'],
  ])('%i → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('round-trips through parseDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 3_600_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
      }),
    );
  });
});
