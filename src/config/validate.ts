import type * as z from 'zod';
import { expandVariables } from './expand.js';
import type { KeyPath } from './path.js';
import { BACKOFF_KEYS, FILE_KEYS, FileSchema, TASK_KEYS } from './schema.js';
import { suggest } from './suggest.js';

/** A problem before it is given a line and column. */
export interface PathProblem {
  readonly path: KeyPath;
  readonly message: string;
}

/**
 * Expands variables in every string value (array items and env tables included, keys never).
 * A string that cannot be expanded is kept as written and reported at its own path.
 */
export function expandTree(value: unknown, lookup: (name: string) => string | undefined, path: KeyPath = [], problems: PathProblem[] = []): { value: unknown; problems: PathProblem[] } {
  const visit = (node: unknown, at: KeyPath): unknown => {
    if (typeof node === 'string') {
      const result = expandVariables(node, lookup);
      if (result.ok) return result.value;
      problems.push({ path: at, message: result.error });
      return node;
    }
    if (Array.isArray(node)) return node.map((item, index) => visit(item, [...at, index]));
    if (isTable(node)) return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, visit(item, [...at, key])]));
    return node;
  };
  return { value: visit(value, path), problems };
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Runs the schema over the whole file and turns every issue into a problem at its key path. */
export function validateShape(raw: unknown): { file: z.output<typeof FileSchema> | null; problems: PathProblem[] } {
  const result = FileSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { file: result.data, problems: [] };
  return { file: null, problems: result.error.issues.flatMap(toProblems) };
}

function toProblems(issue: z.core.$ZodIssue): PathProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => ({ path: [...path, key], message: unknownKey(key, known) }));
  }
  if (issue.code === 'invalid_key' && path[0] === 'tasks' && path.length === 2) {
    return [{ path, message: 'invalid task name: use letters, digits, "_" and "-", starting with a letter or digit (no dots: names prefix topics such as "<task>.stdout")' }];
  }
  return [{ path, message: issue.message }];
}

function knownKeysAt(path: KeyPath): readonly string[] {
  if (path.length === 0) return FILE_KEYS;
  return path[path.length - 1] === 'backoff' ? BACKOFF_KEYS : TASK_KEYS;
}

function unknownKey(key: string, known: readonly string[]): string {
  const hit = suggest(key, known);
  if (hit !== null) return `unknown key, did you mean "${hit}"?`;
  return known.length <= 4 ? `unknown key (valid keys: ${known.join(', ')})` : 'unknown key';
}
