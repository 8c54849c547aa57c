/**
 * Makes untrusted text (pod output, message data, anything a pod can influence) safe to print on a
 * terminal. Every control character is replaced by a visible escape, so no escape sequence can
 * reach the terminal: no title or clipboard writes (OSC 0 / OSC 52), hidden hyperlinks (OSC 8),
 * screen clears, alternate screen, cursor moves, 8-bit CSI (U+009B), and no lone CR that would
 * overwrite the line with a fake `orchestrator | …` prefix.
 *
 * The visible form, C-style:
 *   ESC `\e`, NUL `\0`, BEL `\a`, BS `\b`, LF `\n`, VT `\v`, FF `\f`, CR `\r`;
 *   every other C0 control, DEL and the C1 controls U+0080–U+009F as `\xNN` (the code point);
 *   the bidi controls (U+200E/F, U+202A–U+202E, U+2066–U+2069, which can make a line read
 *   backwards, e.g. fake a file name) and U+2028/U+2029 as `\uNNNN`.
 * TAB is kept. So `ESC ] 0 ; t BEL` prints as `\e]0;t\a` and U+009B as `\x9b`. A backslash is not
 * escaped: the form is for reading, not a lossless encoding (use `-o json` for that), and it makes
 * the function idempotent.
 *
 * With `sgr: true` the colour sequences `ESC [ <digits ; :> m` (SGR) pass through unchanged and, if
 * any did, the text ends with a reset (`ESC [ 0 m`) so a colour never leaks into the next line.
 * Any other sequence, the 8-bit CSI form and a partial SGR are escaped like the rest.
 */
export interface SafeTextOptions {
  /** Keep SGR colour sequences: only when the task has `colors = true` and the output shows colours. */
  readonly sgr: boolean;
}

const NAMED: Readonly<Record<number, string>> = { 0x00: '\\0', 0x07: '\\a', 0x08: '\\b', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e' };

// C0 but TAB, DEL, C1; then the bidi marks, embeddings, overrides and isolates and the line and
// paragraph separators, which reorder or break what the reader sees without being visible.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = /\u001b\[[0-9;:]*m|[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const RESET = '\u001b[0m';

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[code] ?? (code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`);
}

export function safeText(text: string, options: SafeTextOptions = { sgr: false }): string {
  if (!options.sgr) return text.replace(CONTROL, visible);
  let kept = false;
  const out = text.replace(SGR_OR_CONTROL, (match) => {
    if (match.length === 1) return visible(match);
    kept = true;
    return match;
  });
  return kept && !out.endsWith(RESET) && !out.endsWith('\u001b[m') ? out + RESET : out;
}

const JSON_UNESCAPED_CONTROL = /[\u007f-\u009f]/g;

/**
 * `JSON.stringify` for output a terminal may show (`-o json`): the same JSON, with DEL and the C1
 * controls (which JSON.stringify leaves raw) written as `\u00NN` too, so even a terminal that acts
 * on 8-bit CSI sees none. C0 controls are escaped by JSON.stringify itself.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNESCAPED_CONTROL, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
