/**
 * Why a subscription pattern is invalid, or null when it is fine. Patterns are NATS subjects:
 * tokens separated by ".", `*` matches one token, `>` the rest and is only allowed last. Wildcards
 * must be whole tokens, so `img*` is rejected rather than silently matching literally.
 */
export function patternProblem(pattern: string): string | null {
  const quoted = JSON.stringify(pattern);
  if (pattern === '') return 'invalid pattern "": a pattern needs at least one token';
  if (/\s/.test(pattern)) return `invalid pattern ${quoted}: whitespace is not allowed`;
  const tokens = pattern.split('.');
  for (const [index, token] of tokens.entries()) {
    if (token === '') return `invalid pattern ${quoted}: empty token (leading, trailing or double ".")`;
    if (token === '>' && index !== tokens.length - 1) return `invalid pattern ${quoted}: ">" is only allowed as the last token`;
    if (token !== '>' && token !== '*' && /[*>]/.test(token)) {
      return `invalid pattern ${quoted}: "*" and ">" must be a whole token, e.g. "images.*"`;
    }
  }
  return null;
}
