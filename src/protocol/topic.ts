import { InvalidTopicError } from './errors.js';

const DOT = 0x2e;

// ASCII whitespace is checked by code; anything beyond ASCII falls back to the regex so that
// e.g. U+00A0 or U+3000 are rejected too without paying for a regex on every plain topic.
function isWhitespace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/.test(String.fromCharCode(code));
}

/**
 * Why `topic` cannot be published, or null when it can. Publishable: one or more non-empty tokens
 * separated by ".", no whitespace, no token that is exactly `*` or `>` (NATS wildcards; `a*b` is
 * an ordinary token as in NATS). Runs on every parsed message, hence the single pass.
 */
export function topicProblem(topic: string): string | null {
  const n = topic.length;
  if (n === 0) return 'topic is empty';
  let tokenStart = 0;
  for (let i = 0; i <= n; i++) {
    const code = i === n ? DOT : topic.charCodeAt(i);
    if (code === DOT) {
      const len = i - tokenStart;
      if (len === 0) return 'topic has an empty token';
      if (len === 1) {
        const c = topic.charCodeAt(tokenStart);
        if (c === 0x2a || c === 0x3e) return 'wildcard tokens (* and >) cannot be published';
      }
      tokenStart = i + 1;
    } else if (isWhitespace(code)) {
      return 'topic contains whitespace';
    }
  }
  return null;
}

export function isValidTopic(topic: string): boolean {
  return topicProblem(topic) === null;
}

/** Throws InvalidTopicError (code `INVALID_TOPIC`) unless `topic` is publishable. */
export function validateTopic(topic: string): void {
  const problem = topicProblem(topic);
  if (problem !== null) throw new InvalidTopicError(topic, problem);
}

/**
 * Why `pattern` is not a usable subscription pattern (NATS subject rules), or null. Tokens are
 * separated by "."; `*` matches one token; `>` the rest and only as the last token; any other
 * token, `a*b` included, is literal. Shared by the broker (run-time subscribe) and the config.
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'a pattern needs at least one token';
  if (/\s/.test(pattern)) return 'whitespace is not allowed';
  const tokens = pattern.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '') return 'empty token (leading, trailing or double ".")';
    if (token === '>' && i !== tokens.length - 1) return '">" is only allowed as the last token';
  }
  return null;
}

/**
 * Whether `topic` is in the orchestrator's reserved `system.` namespace. A pod's `system.*` line
 * is a command to the orchestrator (subscribe, unsubscribe, ready) and is never published; the
 * control API refuses to publish such topics. The one place this prefix is checked.
 */
export function isReservedTopic(topic: string): boolean {
  return topic.startsWith('system.');
}
