import type * as z from 'zod';
import { expandVariables, type PerPod } from './expand.js';
import type { KeyPath } from './path.js';
import { BUS_TABLE_KEYS, FILE_KEYS, FileSchema, NESTED_KEYS, TASK_KEYS } from './schema.js';
import { suggest } from './suggest.js';

/** A problem before it is given a line and column. */
export interface PathProblem {
  readonly path: KeyPath;
  readonly message: string;
}

/**
 * Expands variables in every string value (array items and env tables included, keys never).
 * A string that cannot be expanded is kept as written and reported at its own path. Per-pod
 * variables are kept only where a pod's own values can fill them in (see perPodAt).
 */
export function expandTree(value: unknown, lookup: (name: string) => string | undefined, path: KeyPath = [], problems: PathProblem[] = []): { value: unknown; problems: PathProblem[] } {
  const visit = (node: unknown, at: KeyPath): unknown => {
    if (typeof node === 'string') {
      const result = expandVariables(node, lookup, perPodAt(at));
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

const PER_POD_TASK_KEYS: ReadonlySet<unknown> = new Set(['command', 'cwd', 'env']);
const PER_POD_PROBE_KEYS: ReadonlySet<unknown> = new Set(['exec', 'http', 'tcp']);

/** `tasks.NAME.command`, `.cwd`, `.env.*`, `.ready.exec|http|tcp`, `.alive.…`, and the same under [defaults]. */
function perPodAt(at: KeyPath): PerPod {
  const base = at[0] === 'tasks' ? 2 : at[0] === 'defaults' ? 1 : null;
  if (base === null) return 'forbid';
  const key = at[base];
  if (PER_POD_TASK_KEYS.has(key)) return 'keep';
  return (key === 'ready' || key === 'alive') && PER_POD_PROBE_KEYS.has(at[base + 1]) ? 'keep' : 'forbid';
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Runs the schema over the whole file and turns every issue into a problem at its key path. */
export function validateShape(raw: unknown): { file: z.output<typeof FileSchema> | null; problems: PathProblem[] } {
  const result = FileSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { file: result.data, problems: [] };
  return { file: null, problems: result.error.issues.flatMap((issue) => toProblems(issue)) };
}

function toProblems(issue: z.core.$ZodIssue, prefix: KeyPath = []): PathProblem[] {
  const path = [...prefix, ...issue.path.filter((s): s is string | number => typeof s !== 'symbol')];
  if (issue.code === 'invalid_union' && isTable(issue.input)) {
    // zod reports a failed union as a whole; when the input is a table and exactly one option
    // takes tables (ready = "started" | { ... }), that option's issues point at the real key.
    const tableOptions = issue.errors.filter((issues) => !issues.some((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (tableOptions.length === 1) return (tableOptions[0] ?? []).flatMap((inner) => toProblems(inner, path));
  }
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
  if (path[0] === 'bus') return BUS_TABLE_KEYS[String(path[path.length - 1])] ?? [];
  // tasks.NAME.backoff or defaults.backoff; a task may itself be called "backoff".
  const last = path[path.length - 1];
  const nested = path.length === (path[0] === 'defaults' ? 2 : 3);
  return (nested && typeof last === 'string' ? NESTED_KEYS[last] : undefined) ?? TASK_KEYS;
}

function unknownKey(key: string, known: readonly string[]): string {
  const hit = suggest(key, known);
  if (hit !== null) return `unknown key, did you mean "${hit}"?`;
  return known.length <= 8 ? `unknown key (valid keys: ${known.join(', ')})` : 'unknown key';
}
