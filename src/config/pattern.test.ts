import { expect, test } from 'vitest';
import { patternProblem } from './pattern.js';

test.each(['jobs', 'images.>', '*.stdout', 'a.*.c', '>', 'web-1.out_2'])('accepts %j', (pattern) => {
  expect(patternProblem(pattern)).toBeNull();
});

test.each([
  ['', 'invalid pattern "": a pattern needs at least one token'],
  ['a b', 'invalid pattern "a b": whitespace is not allowed'],
  ['a..b', 'invalid pattern "a..b": empty token (leading, trailing or double ".")'],
  ['.a', 'invalid pattern ".a": empty token (leading, trailing or double ".")'],
  ['a.>.b', 'invalid pattern "a.>.b": ">" is only allowed as the last token'],
  ['img*', 'invalid pattern "img*": "*" and ">" must be a whole token, e.g. "images.*"'],
])('rejects %j', (pattern, message) => {
  expect(patternProblem(pattern)).toBe(message);
});
