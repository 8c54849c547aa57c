import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTopicPatternError } from './errors.js';
import { compilePattern, matchCompiled, matchTopic, patternProblem } from './topic-pattern.js';

/** Reference semantics, written the obvious way. */
function reference(pattern: string, topic: string): boolean {
  const p = pattern.split('.');
  const t = topic.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

describe('matchTopic', () => {
  it.each([
    ['jobs', 'jobs', true],
    ['jobs', 'jobs.x', false],
    ['jobs', 'job', false],
    ['jobs.*', 'jobs.a', true],
    ['jobs.*', 'jobs', false],
    ['jobs.*', 'jobs.a.b', false],
    ['*.result', 'jobs.result', true],
    ['*.result', 'a.b.result', false],
    ['images.>', 'images.png', true],
    ['images.>', 'images.png.large', true],
    ['images.>', 'images', false],
    ['>', 'anything.at.all', true],
    ['>', 'x', true],
    ['a.*.c', 'a.b.c', true],
    ['a.*.c', 'a.b.d', false],
    ['a*', 'a*', true],
    ['a*', 'ab', false],
    ['*', 'a', true],
    ['*', 'a.b', false],
  ])('%s vs %s → %s', (pattern, topic, expected) => {
    expect(matchTopic(pattern, topic)).toBe(expected);
  });

  it('rejects invalid patterns with a typed error', () => {
    for (const bad of ['', 'a..b', '.a', 'a.', 'a.>.b', 'a b']) {
      expect(patternProblem(bad)).not.toBeNull();
      expect(() => compilePattern(bad)).toThrow(InvalidTopicPatternError);
    }
    try {
      compilePattern('a.>.b');
    } catch (err) {
      expect((err as InvalidTopicPatternError).code).toBe('INVALID_TOPIC_PATTERN');
    }
  });

  it('agrees with the reference semantics (property)', () => {
    const token = fc.constantFrom('a', 'b', 'ab', '*', '>', 'x1');
    const literal = fc.constantFrom('a', 'b', 'ab', 'x1', 'c');
    const pattern = fc
      .array(token, { minLength: 1, maxLength: 5 })
      .map((ts) => ts.map((t, i) => (t === '>' && i !== ts.length - 1 ? '*' : t)).join('.'));
    const topic = fc.array(literal, { minLength: 1, maxLength: 6 }).map((ts) => ts.join('.'));
    fc.assert(
      fc.property(pattern, topic, (p, t) => {
        expect(matchCompiled(compilePattern(p), t)).toBe(reference(p, t));
      }),
      { numRuns: 5000 },
    );
  });

  it('a literal topic used as a pattern matches exactly itself (property)', () => {
    const topic = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 4 }).map((ts) => ts.join('.'));
    fc.assert(fc.property(topic, topic, (p, t) => matchTopic(p, t) === (p === t)));
  });
});
