/**
 * NATS-style subject matching. Topics and patterns are split on "." into tokens.
 * - `*` (a whole token) matches exactly one token;
 * - `>` (a whole token, last only) matches ONE OR MORE remaining tokens (`a.>` does not match `a`);
 * - any other token, including `a*b`, matches itself literally.
 * Pure functions, no allocation beyond the split done by `compilePattern`.
 */
import { patternProblem } from '../../protocol/topic.js';
import { InvalidTopicPatternError } from './errors.js';

export { patternProblem };

/** A pattern split once into tokens; match many topics against it cheaply. */
export interface CompiledPattern {
  readonly source: string;
  readonly tokens: readonly string[];
  /** True when the last token is `>`. */
  readonly tail: boolean;
  /** True when the pattern has no wildcard: it matches only the topic equal to `source`. */
  readonly literal: boolean;
}

/** Throws InvalidTopicPatternError unless `pattern` is valid (see `patternProblem`). */
export function compilePattern(pattern: string): CompiledPattern {
  const problem = patternProblem(pattern);
  if (problem !== null) throw new InvalidTopicPatternError(pattern, problem);
  const tokens = pattern.split('.');
  const tail = tokens[tokens.length - 1] === '>';
  const literal = !tail && !tokens.includes('*');
  return { source: pattern, tokens, tail, literal };
}

/** Does `topic` match the compiled pattern? Walks the topic once without splitting it. */
export function matchCompiled(p: CompiledPattern, topic: string): boolean {
  if (p.literal) return p.source === topic;
  const tokens = p.tokens;
  const fixed = p.tail ? tokens.length - 1 : tokens.length;
  let pos = 0;
  for (let i = 0; i < fixed; i++) {
    if (pos > topic.length) return false; // topic has fewer tokens than the pattern
    let end = topic.indexOf('.', pos);
    if (end === -1) end = topic.length;
    const token = tokens[i] as string;
    if (token !== '*') {
      if (end - pos !== token.length || !topic.startsWith(token, pos)) return false;
    }
    pos = end + 1;
  }
  // With `>`, at least one more token must remain; without it, none may.
  return p.tail ? pos < topic.length || (pos === topic.length && topic.endsWith('.')) : pos === topic.length + 1;
}

/** Convenience for one-off checks; compiles `pattern` each call (throws if invalid). */
export function matchTopic(pattern: string, topic: string): boolean {
  return matchCompiled(compilePattern(pattern), topic);
}
