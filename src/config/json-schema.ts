import * as z from 'zod';
import { FileSchema } from './schema.js';

/**
 * A string in which the loader substitutes at least one `${NAME}`, `${NAME-default}` or `${NAME:-default}` (see
 * expand.ts): a reference preceded by an even number of `$` (`$$` is a literal `$`, so `$${A}` is
 * no reference). Written for JSON Schema, whose patterns are unanchored and carry no flags.
 */
export const INTERPOLATION_PATTERN = /(?:^|[^$])(?:\$\$)*\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}/;

const INTERPOLATED_DEF = 'interpolated';
const INTERPOLATED = {
  type: 'string',
  pattern: INTERPOLATION_PATTERN.source,
  description: 'A string with ${VAR}, ${VAR-default} or ${VAR:-default}: checked after expansion, when the orchestrator loads the file.',
} as const;

/** Keywords that restrict which strings are valid; a node with one of them rejects most `${VAR}` strings. */
const STRING_CONSTRAINTS = ['enum', 'const', 'pattern', 'format'] as const;
/** Keywords that constrain a string node (moved into its first `anyOf` branch); the rest (description, default) stay on the node. */
const STRING_KEYWORDS = new Set<string>(['type', 'minLength', 'maxLength', ...STRING_CONSTRAINTS]);

/** JSON Schema patterns are plain ECMA-262 sources: a flag (such as /i) would be silently dropped. */
export class SchemaPatternFlagError extends Error {
  readonly code = 'SCHEMA_PATTERN_FLAGS';
  constructor(pattern: RegExp, at: readonly (string | number)[]) {
    super(`the regular expression ${String(pattern)} at ${at.join('.') || '(root)'} has flags, which a JSON Schema pattern cannot carry: spell the cases out instead`);
    this.name = 'SchemaPatternFlagError';
  }
}

/**
 * JSON Schema (draft 2020-12) of tasks.toml, generated from the validator's own zod schema so the
 * two cannot drift. It describes the file as written (durations as strings, all keys optional
 * except `tasks`); rules that need code (subscription patterns, backoff max >= base, a required
 * `command` that [defaults] may supply) are checked only by loadConfig.
 *
 * The loader expands variables in every string value before it validates, so wherever the schema
 * restricts a string (an enum, a pattern), it also accepts a string containing a `${VAR}`
 * reference. Only strings: expansion yields a string, so `replicas = "${N}"` stays an error.
 * Table keys are never expanded, so key patterns (task names) stay strict.
 */
export function configJsonSchema(): Record<string, unknown> {
  return tasksFileJsonSchema(FileSchema);
}

/** configJsonSchema for any zod schema of the file (exported for tests of the generator itself). */
export function tasksFileJsonSchema(source: z.ZodType): Record<string, unknown> {
  const schema = z.toJSONSchema(source, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, path }) => {
      for (const check of zodSchema._zod.def.checks ?? []) {
        const { pattern } = check._zod.def as { pattern?: unknown };
        if (pattern instanceof RegExp && pattern.flags !== '') throw new SchemaPatternFlagError(pattern, path);
      }
    },
  }) as Record<string, unknown>;
  const withInterpolation = acceptInterpolation(schema) as Record<string, unknown>;
  const defs = (withInterpolation['$defs'] ?? {}) as Record<string, unknown>;
  return { ...withInterpolation, $defs: { ...defs, [INTERPOLATED_DEF]: INTERPOLATED } };
}

/** Rewrites every constrained string node to `anyOf: [itself, interpolated]`, except under `propertyNames`. */
function acceptInterpolation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(acceptInterpolation);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, key === 'propertyNames' ? value : acceptInterpolation(value)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  const constrained = object['type'] === 'string' && STRING_CONSTRAINTS.some((key) => key in object);
  if (!constrained) return object;
  const own = Object.fromEntries(entries.filter(([key]) => STRING_KEYWORDS.has(key)));
  const annotations = Object.fromEntries(entries.filter(([key]) => !STRING_KEYWORDS.has(key)));
  return { anyOf: [own, { $ref: `#/$defs/${INTERPOLATED_DEF}` }], ...annotations };
}
