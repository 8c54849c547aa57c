import { expect, test } from 'vitest';
import { parseDotenv } from './dotenv.js';

test('parses the supported dialect', () => {
  const text = [
    '# comment',
    '',
    'PLAIN=value',
    'export EXPORTED=yes',
    '  SPACED = padded  ',
    'INLINE=abc # trailing comment',
    'HASH=a#b',
    "SINGLE='literal \\n $HOME'",
    'DOUBLE="line1\\nline2 \\"q\\""',
    'EMPTY=',
    'QUOTED_COMMENT="x" # ok',
    'PLAIN=override',
  ].join('\n');
  expect(parseDotenv(text)).toEqual({
    values: {
      PLAIN: 'override',
      EXPORTED: 'yes',
      SPACED: 'padded',
      INLINE: 'abc',
      HASH: 'a#b',
      SINGLE: 'literal \\n $HOME',
      DOUBLE: 'line1\nline2 "q"',
      EMPTY: '',
      QUOTED_COMMENT: 'x',
    },
    problems: [],
  });
});

test('reports every bad line with its line number and keeps the good ones', () => {
  const text = ['OK=1', 'not a pair', '1BAD=x', 'OPEN="never closed', "TAIL='a' b", 'ALSO_OK=2'].join('\r\n');
  expect(parseDotenv(text)).toEqual({
    values: { OK: '1', ALSO_OK: '2' },
    problems: [
      { line: 2, message: 'expected KEY=VALUE, got "not a pair"' },
      { line: 3, message: 'expected KEY=VALUE, got "1BAD=x"' },
      { line: 4, message: 'OPEN: unterminated double quote' },
      { line: 5, message: 'TAIL: unexpected text after the closing quote: "b"' },
    ],
  });
});
