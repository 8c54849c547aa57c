import { describe, expect, test } from 'vitest';
import { formatSize, parseSize } from './size.js';

describe('parseSize', () => {
  test.each([
    ['512KiB', 512 * 1024],
    ['1MiB', 1024 * 1024],
    ['64KB', 64_000],
    ['2 mib', 2 * 1024 * 1024],
    ['100B', 100],
    [4096, 4096],
  ] as const)('%j = %i bytes', (input, bytes) => {
    expect(parseSize(input)).toEqual({ ok: true, value: bytes });
  });

  test('rejects unknown units and non-positive byte counts', () => {
    expect(parseSize('1 potato')).toEqual({ ok: false, error: 'invalid size "1 potato": use e.g. "512KiB", "1MiB", "64KB" or an integer number of bytes' });
    expect(parseSize(0)).toEqual({ ok: false, error: 'invalid size 0: a byte count must be an integer >= 1' });
    expect(parseSize(1.5)).toEqual({ ok: false, error: 'invalid size 1.5: a byte count must be an integer >= 1' });
    expect(parseSize('0KiB')).toEqual({ ok: false, error: 'invalid size "0KiB": use e.g. "512KiB", "1MiB", "64KB" or an integer number of bytes' });
    expect(parseSize('0.0001KiB')).toEqual({ ok: false, error: 'invalid size "0.0001KiB": must be at least 1 byte' });
  });
});

test('formatSize uses the largest exact binary unit', () => {
  expect(formatSize(1024 * 1024)).toBe('1MiB');
  expect(formatSize(1536)).toBe('1536B');
  expect(formatSize(2048)).toBe('2KiB');
});
