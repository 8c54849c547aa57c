import { patternProblem as syntaxProblem } from '../protocol/topic.js';

/**
 * Why a subscription pattern in tasks.toml is invalid, or null. The NATS rules of
 * `protocol/topic.ts`, plus one stricter on purpose: in a config file `images*` is almost surely a
 * wildcard meant as `images.*`, so a token mixing `*` or `>` with other characters is rejected
 * here (a pod can still subscribe to such a literal topic at run time).
 */
export function patternProblem(pattern: string): string | null {
  const quoted = JSON.stringify(pattern);
  const problem = syntaxProblem(pattern);
  if (problem !== null) return `invalid pattern ${quoted}: ${problem}`;
  if (pattern.split('.').some((t) => t !== '>' && t !== '*' && /[*>]/.test(t))) {
    return `invalid pattern ${quoted}: "*" and ">" must be a whole token, e.g. "images.*"`;
  }
  return null;
}
