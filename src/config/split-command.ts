import type { Parsed } from '../util/duration.js';

/** Inside double quotes a backslash only escapes these (as in POSIX sh); otherwise it is literal. */
const DQUOTE_ESCAPABLE = new Set(['\\', '"', '$', '`', '\n']);

/**
 * Splits a command line into argv the way a POSIX shell tokenizes words: whitespace separates,
 * single quotes are literal, double quotes allow `\"` `\\` `\$`, a backslash outside quotes escapes
 * the next character. No globbing, variables, pipes or redirections: those need `shell = true`.
 */
export function splitCommand(input: string): Parsed<string[]> {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < input.length && DQUOTE_ESCAPABLE.has(input[i + 1] as string)) word += input[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\') {
      if (i + 1 >= input.length) return { ok: false, error: `trailing backslash in command ${JSON.stringify(input)}` };
      const escaped = input[++i];
      // An escaped newline is a line continuation, not part of the word.
      if (escaped !== '\n') {
        word += escaped;
        inWord = true;
      }
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) {
    return { ok: false, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote in command ${JSON.stringify(input)}` };
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, error: 'command is empty' };
  return { ok: true, value: argv };
}
