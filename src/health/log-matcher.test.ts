import { expect, test } from 'vitest';
import { LogMatcher } from './log-matcher.js';

test('fires once, on the first matching line, ignoring a trailing carriage return', () => {
  const seen: string[] = [];
  const matcher = new LogMatcher(/listening on \d+$/, (line) => seen.push(line));
  expect(matcher.feed('starting')).toBe(false);
  expect(matcher.matched).toBe(false);
  expect(matcher.feed('listening on 8080\r')).toBe(true);
  expect(matcher.feed('listening on 9090')).toBe(false);
  expect(seen).toEqual(['listening on 8080']);
  expect(matcher.matched).toBe(true);
});

test('a global or sticky regex behaves the same on every line (no lastIndex carried over)', () => {
  const seen: string[] = [];
  const matcher = new LogMatcher(/ready/gy, (line) => seen.push(line));
  expect(matcher.feed('not yet')).toBe(false);
  expect(matcher.feed('ready')).toBe(true);
  expect(seen).toEqual(['ready']);
});
