import { describe, expect, test } from 'vitest';
import { expandVariables } from './expand.js';

const env: Record<string, string> = { HOME: '/home/me', EMPTY: '' };
const lookup = (name: string): string | undefined => env[name];

describe('expandVariables', () => {
  test.each([
    ['${HOME}/app', '/home/me/app'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${HOME:-unused}', '/home/me'],
    ['${EMPTY:-x}', ''],
    ['cost: $$5', 'cost: $5'],
    ['echo $1 $HOME', 'echo $1 $HOME'],
    ['$${HOME}', '${HOME}'],
    ['a${HOME}b${HOME}', 'a/home/meb/home/me'],
    ['trailing $', 'trailing $'],
  ])('%j → %j', (input, output) => {
    expect(expandVariables(input, lookup)).toEqual({ ok: true, value: output });
  });

  test('reports every unset variable', () => {
    expect(expandVariables('${A} and ${B}', lookup)).toEqual({
      ok: false,
      error: 'environment variable A is not set (write ${A:-default} to give a default); environment variable B is not set (write ${B:-default} to give a default)',
    });
  });

  test('rejects malformed references', () => {
    expect(expandVariables('${1X}', lookup)).toEqual({ ok: false, error: 'invalid variable reference "${1X}": use ${NAME} or ${NAME:-default}' });
    expect(expandVariables('x ${HOME', lookup)).toEqual({ ok: false, error: 'unterminated "${" in "x ${HOME" (write "$$" for a literal "$")' });
  });
});
