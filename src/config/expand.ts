import type { Parsed } from '../util/duration.js';
import { encodePodVariable, hasPodVariables, isPodVariable } from './pod-template.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `NAME`, `NAME-default` or `NAME:-default` (the shell's and Compose's forms). */
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/;

/**
 * What a per-pod variable (`${ORCHESTRATOR_REPLICA}`, ...) does: `keep` encodes it for resolution
 * (see pod-template.ts) where a value may differ per pod; `forbid` makes it an error, whatever the
 * environment holds, so a key never silently takes the orchestrator's own value.
 */
export type PerPod = 'keep' | 'forbid';

/** Where per-pod variables are filled in, for the `forbid` message. */
export const PER_POD_KEYS = 'command, cwd, env, and the exec, http and tcp of ready and alive';

/**
 * Expands `${VAR}`, `${VAR-default}` (the default only when VAR is unset: set but empty stays
 * empty) and `${VAR:-default}` (the default when VAR is unset or empty), as POSIX shells and
 * Compose do; `$$` is a literal `$`. Any other `$` is kept as is, so
 * shell snippets such as `$1` or `$HOME` pass through untouched for the shell to handle. The default
 * is literal text (no nested expansion). Reports every unset variable in the string at once.
 * A per-pod variable is always set for a pod, so its default is never used.
 */
export function expandVariables(input: string, lookup: (name: string) => string | undefined, perPod: PerPod = 'forbid'): Parsed<string> {
  let out = '';
  const errors: string[] = [];
  if (hasPodVariables(input)) return { ok: false, error: 'contains a character from U+FDD0 to U+FDD3 (Unicode noncharacters, reserved here)' };
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      i++;
      continue;
    }
    const close = input.indexOf('}', i + 2);
    if (close === -1) {
      errors.push(`unterminated "\${" in ${JSON.stringify(input)} (write "$$" for a literal "$")`);
      break;
    }
    const body = input.slice(i + 2, close);
    const ref = REFERENCE.exec(body);
    const name = ref?.[1] ?? body;
    if (ref === null || !NAME.test(name)) {
      errors.push(`invalid variable reference "\${${body}}": use \${NAME}, \${NAME-default} or \${NAME:-default}`);
    } else if (isPodVariable(name)) {
      if (perPod === 'keep') out += encodePodVariable(name);
      else errors.push(`\${${name}} differs per pod, so it can only be used in ${PER_POD_KEYS} (write $\${${name}} for the literal text)`);
    } else {
      const set = lookup(name);
      const operator = ref[2];
      const useDefault = operator === undefined ? false : set === undefined || (operator === ':-' && set === '');
      const value = useDefault ? (ref[3] ?? '') : set;
      // The environment must not smuggle in the reserved characters either: they would read as per-pod variables.
      if (value !== undefined && hasPodVariables(value)) errors.push(`environment variable ${name} holds a character from U+FDD0 to U+FDD3 (Unicode noncharacters, reserved here)`);
      else if (value !== undefined) out += value;
      else errors.push(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
    }
    i = close + 1;
  }
  return errors.length === 0 ? { ok: true, value: out } : { ok: false, error: errors.join('; ') };
}
