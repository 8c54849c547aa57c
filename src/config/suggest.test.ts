import { describe, expect, test } from 'vitest';
import { didYouMean, editDistance, suggest } from './suggest.js';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['replica', 'replicas', 1],
    ['replcias', 'replicas', 1],
    ['kitten', 'sitting', 3],
    ['abc', '', 3],
  ])('%s vs %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('suggest', () => {
  const keys = ['replicas', 'restart', 'env', 'env_file', 'subscribe'];
  test('finds the closest key', () => {
    expect(suggest('replica', keys)).toBe('replicas');
    expect(suggest('subcribe', keys)).toBe('subscribe');
    expect(suggest('ENV', keys)).toBe('env');
  });
  test('returns null when nothing is plausibly a typo', () => {
    expect(suggest('colour', keys)).toBeNull();
    expect(suggest('xy', keys)).toBeNull();
  });
  test('didYouMean renders the suffix or nothing', () => {
    expect(didYouMean('restat', keys)).toBe(', did you mean "restart"?');
    expect(didYouMean('zzzzzz', keys)).toBe('');
  });
});
