import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatCpu } from './format.js';

describe('format', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [61_000, '1m1s'],
    [600_000, '10m'],
    [3_660_000, '1h1m'],
    [90_000_000, '1d1h'],
  ])('age of %d ms is %s', (ms, text) => {
    expect(formatAge(1_000_000_000 - ms, 1_000_000_000)).toBe(text);
  });
  it('bytes and cpu', () => {
    expect(formatBytes(null)).toBe('-');
    expect(formatBytes(512)).toBe('512B');
    expect(formatBytes(1536)).toBe('1.5KiB');
    expect(formatBytes(52 * 1024 * 1024)).toBe('52MiB');
    expect(formatCpu(undefined)).toBe('-');
    expect(formatCpu(3.14159)).toBe('3.1%');
    expect(formatCpu(150)).toBe('150%');
  });
});
