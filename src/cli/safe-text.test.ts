import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLine, safeText } from './safe-text.js';

const ESC = '\u001b';
const plain = { sgr: false };
const colors = { sgr: true };

// Any C0 control but TAB, DEL, a C1 control, a bidi control or a line/paragraph separator.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;:]*m/g;

describe('safeText', () => {
  it('leaves printable text, TAB and non-ASCII alone', () => {
    for (const text of ['', 'hello world', 'a\tb', 'ünïcødé ✓ 日本', 'back\\slash \\e literal', '"topic": data']) {
      expect(safeText(text, plain)).toBe(text);
      expect(safeText(text, colors)).toBe(text);
    }
  });

  it('shows the named controls C-style', () => {
    expect(safeText('\u0000\u0007\u0008\n\u000b\u000c\r\u001b', plain)).toBe('\\0\\a\\b\\n\\v\\f\\r\\e');
  });

  it('shows every other C0 control, DEL and the C1 controls as \\xNN', () => {
    expect(safeText('\u0001\u0002\u001a\u001f\u007f', plain)).toBe('\\x01\\x02\\x1a\\x1f\\x7f');
    expect(safeText('\u0080\u0085\u009b\u009d\u009f', plain)).toBe('\\x80\\x85\\x9b\\x9d\\x9f');
  });

  it('shows the bidi controls and the line and paragraph separators as \\uNNNN', () => {
    // "evil\u202Etxt.exe" would read as "evilexe.txt".
    expect(safeText('evil\u202etxt.exe', plain)).toBe('evil\\u202etxt.exe');
    expect(safeText('\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069', colors)).toBe(
      '\\u200e\\u200f\\u2028\\u2029\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069',
    );
  });

  it('neutralises each hostile sequence whole', () => {
    const cases: Array<[string, string]> = [
      [`${ESC}]0;pwned\u0007`, '\\e]0;pwned\\a'], // window title
      [`${ESC}]52;c;ZXZpbA==\u0007`, '\\e]52;c;ZXZpbA==\\a'], // clipboard write
      [`${ESC}]8;;http://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`, '\\e]8;;http://evil.example/\\e\\click\\e]8;;\\e\\'], // hyperlink, ST-terminated
      [`${ESC}[2J${ESC}[H`, '\\e[2J\\e[H'], // clear screen, cursor home
      [`${ESC}[?1049h`, '\\e[?1049h'], // alternate screen
      ['\u009b31m8-bit', '\\x9b31m8-bit'], // 8-bit CSI, as \xc2\x9b decodes
      [`${ESC}P1$qm${ESC}\\`, '\\eP1$qm\\e\\'], // DCS
      [`${ESC}_apc${ESC}\\ ${ESC}^pm${ESC}\\ ${ESC}Xsos${ESC}\\`, '\\e_apc\\e\\ \\e^pm\\e\\ \\eXsos\\e\\'],
      [`${ESC}c${ESC}7${ESC}8`, '\\ec\\e7\\e8'], // two-character sequences: reset, save/restore cursor
      ['nul\u0000byte', 'nul\\0byte'],
      ['\rorchestrator | fake', '\\rorchestrator | fake'], // lone CR
    ];
    for (const [input, shown] of cases) {
      expect(safeText(input, plain)).toBe(shown);
      expect(safeText(input, colors)).toBe(shown);
    }
  });

  it('keeps SGR colour sequences only when asked, and resets at the end', () => {
    const red = `${ESC}[31mred${ESC}[0m`;
    expect(safeText(red, plain)).toBe('\\e[31mred\\e[0m');
    expect(safeText(red, colors)).toBe(red);
    expect(safeText(`${ESC}[1;38:5:196mbold`, colors)).toBe(`${ESC}[1;38:5:196mbold${ESC}[0m`);
    expect(safeText(`${ESC}[mreset`, colors)).toBe(`${ESC}[mreset${ESC}[0m`);
    expect(safeText(`a${ESC}[32mb${ESC}[m`, colors)).toBe(`a${ESC}[32mb${ESC}[m`);
  });

  it('never keeps a non-SGR CSI, a partial SGR or an 8-bit SGR', () => {
    expect(safeText(`${ESC}[31`, colors)).toBe('\\e[31');
    expect(safeText(`${ESC}[31;`, colors)).toBe('\\e[31;');
    expect(safeText(`${ESC}[?25l`, colors)).toBe('\\e[?25l');
    expect(safeText(`${ESC}[31 m`, colors)).toBe('\\e[31 m');
    expect(safeText('\u009b31m', colors)).toBe('\\x9b31m');
    expect(safeText(`${ESC}${ESC}[31m`, colors)).toBe(`\\e${ESC}[31m${ESC}[0m`);
  });

  const hostile = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\u001b', '[', ']', 'm', ';', ':', '0', '3', '1', '\u0007', '\\', '\r', '\n', '\t', '\u009b', '\u0000', '\u007f', '\u0085', 'P', '_', '?', 'a'),
      fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x2000, max: 0x206f }).map((c) => String.fromCharCode(c)),
    ),
    maxLength: 60,
  });

  it('property: without sgr the output has no control character but TAB', () => {
    fc.assert(fc.property(hostile, (text) => !CONTROL.test(safeText(text, plain))));
  });

  it('property: with sgr the only controls left are whole SGR sequences, and a colour is reset', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = safeText(text, colors);
        const withoutSgr = out.replace(SGR, '');
        if (CONTROL.test(withoutSgr)) return false;
        return out.match(SGR) === null || out.endsWith(`${ESC}[0m`) || out.endsWith(`${ESC}[m`);
      }),
    );
  });

  it('property: idempotent', () => {
    fc.assert(
      fc.property(hostile, fc.boolean(), (text, sgr) => {
        const once = safeText(text, { sgr });
        return safeText(once, { sgr }) === once;
      }),
    );
  });

  it('property: printable text (no controls) comes back unchanged', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }).filter((s) => !CONTROL.test(s)), (text) => safeText(text, plain) === text));
  });
});

describe('jsonLine', () => {
  it('is JSON.stringify with DEL and C1 escaped too; parses back to the same value', () => {
    const value = { line: `${ESC}]0;t\u0007 \u009b2J \u007f \r ü` };
    const json = jsonLine(value);
    expect(json).toBe('{"line":"\\u001b]0;t\\u0007 \\u009b2J \\u007f \\r ü"}');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('property: never contains a control character, and round-trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x2ff }).map((c) => String.fromCharCode(c)) }), (text) => {
        const json = jsonLine({ text });
        return !CONTROL.test(json) && JSON.parse(json).text === text;
      }),
    );
  });
});
