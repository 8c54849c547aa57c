import { describe, expect, test } from 'vitest';
import { expandVariables } from './expand.js';
import { podTextSource, toPodText } from './pod-template.js';

const env: Record<string, string> = { HOME: '/home/me', EMPTY: '' };
const lookup = (name: string): string | undefined => env[name];

describe('expandVariables', () => {
  test.each([
    ['${HOME}/app', '/home/me/app'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${HOME:-unused}', '/home/me'],
    ['${EMPTY:-x}', 'x'],
    ['${EMPTY-x}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${MISSING-}', ''],
    ['${HOME-unused}', '/home/me'],
    ['${MISSING:-a-b:-c}', 'a-b:-c'],
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
    expect(expandVariables('${1X}', lookup)).toEqual({ ok: false, error: 'invalid variable reference "${1X}": use ${NAME}, ${NAME-default} or ${NAME:-default}' });
    expect(expandVariables('x ${HOME', lookup)).toEqual({ ok: false, error: 'unterminated "${" in "x ${HOME" (write "$$" for a literal "$")' });
  });

  test('keeps per-pod variables as a template where they are allowed, even when the environment sets them', () => {
    const own = (name: string): string | undefined => ({ ORCHESTRATOR_REPLICA: '7', HOME: '/home/me' })[name];
    const kept = expandVariables('80${ORCHESTRATOR_REPLICA} ${ORCHESTRATOR_POD:-x}/${HOME} $${ORCHESTRATOR_TASK} $$', own, 'keep');
    if (!kept.ok) throw new Error(kept.error);
    expect(toPodText(kept.value)).toEqual({ parts: ['80', { variable: 'ORCHESTRATOR_REPLICA' }, ' ', { variable: 'ORCHESTRATOR_POD' }, '//home/me ${ORCHESTRATOR_TASK} $'] });
    expect(podTextSource(toPodText(kept.value))).toBe('80${ORCHESTRATOR_REPLICA} ${ORCHESTRATOR_POD}//home/me ${ORCHESTRATOR_TASK} $');
    expect(expandVariables('id-${ORCHESTRATOR_POD_ID}', lookup, 'keep')).toMatchObject({ ok: true });
  });

  test('a plain string stays plain with per-pod variables allowed', () => {
    const kept = expandVariables('${HOME} $${ORCHESTRATOR_REPLICA}', lookup, 'keep');
    expect(kept).toEqual({ ok: true, value: '/home/me ${ORCHESTRATOR_REPLICA}' });
    expect(toPodText('/home/me')).toBe('/home/me');
  });

  test('per-pod variables elsewhere are an error that says where they work', () => {
    expect(expandVariables('jobs.${ORCHESTRATOR_REPLICA}', () => '3')).toEqual({
      ok: false,
      error: '${ORCHESTRATOR_REPLICA} differs per pod, so it can only be used in command, cwd, env, and the exec, http and tcp of ready and alive (write $${ORCHESTRATOR_REPLICA} for the literal text)',
    });
  });

  test('rejects the noncharacters that encode per-pod variables', () => {
    expect(expandVariables('a\uFDD2b', lookup, 'keep')).toEqual({ ok: false, error: 'contains a character from U+FDD0 to U+FDD3 (Unicode noncharacters, reserved here)' });
  });

  test('rejects them in a value from the environment too: it would read as a per-pod variable', () => {
    const env = (name: string) => (name === 'SNEAKY' ? 'port-\uFDD2' : undefined);
    expect(expandVariables('x${SNEAKY}', env, 'keep')).toEqual({ ok: false, error: 'environment variable SNEAKY holds a character from U+FDD0 to U+FDD3 (Unicode noncharacters, reserved here)' });
    expect(expandVariables('x${SNEAKY}', env, 'forbid').ok).toBe(false);
  });
});
