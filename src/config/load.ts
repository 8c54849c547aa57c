import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { type DependencyNode, dependencyProblems } from './dependencies.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { SourceLocator } from './locate.js';
import { formatPath } from './path.js';
import { showPodVariables } from './pod-template.js';
import { resolveTask } from './resolve.js';
import { resolveBus } from './resolve-bus.js';
import { TaskSchema } from './schema.js';
import type { OrchestratorConfig, TaskSpec } from './types.js';
import { expandTree, isTable, type PathProblem, validateShape } from './validate.js';

export interface LoadConfigOptions {
  /** Variables for `${VAR}` expansion; defaults to process.env (read at call time). */
  readonly env?: Record<string, string | undefined>;
  /** Reads tasks.toml and env files; defaults to fs.readFileSync as UTF-8. */
  readonly readFile?: (file: string) => string;
}

/**
 * Reads, expands, validates and resolves tasks.toml into a fully defaulted config. Throws a
 * ConfigError listing every problem found (`CONFIG_NOT_FOUND`, `CONFIG_TOML_SYNTAX` or
 * `CONFIG_INVALID`); never returns a partially valid config.
 */
export function loadConfig(file: string, options: LoadConfigOptions = {}): OrchestratorConfig {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const env = options.env ?? process.env;
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const shown = displayPath(absolute);

  let text: string;
  try {
    text = readFile(absolute);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    const message = missing ? 'file not found' : `cannot read file: ${(error as Error).message}`;
    throw new ConfigError('CONFIG_NOT_FOUND', shown, [{ path: '', line: null, column: null, message }], { cause: error });
  }

  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // The parser's message repeats the position and a code excerpt; the first line is the reason.
    const reason = error.message.split('\n')[0] ?? error.message;
    throw new ConfigError('CONFIG_TOML_SYNTAX', shown, [{ path: '', line: error.line, column: error.column, message: reason }], { cause: error });
  }

  const lookup = (name: string): string | undefined => (name === 'CONFIG_DIR' ? dir : env[name]);
  const expanded = expandTree(raw, lookup);
  const shape = validateShape(expanded.value);
  // A value that failed to expand would also fail the schema; report only the first cause.
  const unexpanded = new Set(expanded.problems.map((p) => JSON.stringify(p.path)));
  const problems: PathProblem[] = [...expanded.problems, ...shape.problems.filter((p) => !unexpanded.has(JSON.stringify(p.path)))];

  const tasks = resolveTasks(expanded.value, problems, { dir, readFile, display: displayPath });
  const bus = isTable(expanded.value) && !problems.some((p) => p.path[0] === 'bus') ? resolveBus(expanded.value['bus'], dir, problems) : null;
  if (problems.length > 0) {
    throw new ConfigError('CONFIG_INVALID', shown, locateAll(text, problems));
  }
  return { file: absolute, dir, tasks, bus };
}

/**
 * Resolves every task, even those with schema problems, so that problems only visible after
 * merging (missing command, missing env_file, backoff max < base, ...) are reported in the same
 * run. Keys that already have a problem are left out first, so nothing is reported twice.
 */
function resolveTasks(root: unknown, problems: PathProblem[], ctx: Parameters<typeof resolveTask>[3]): TaskSpec[] {
  if (!isTable(root)) return [];
  const tasksTable = root['tasks'];
  if (isTable(tasksTable) && Object.keys(tasksTable).length === 0) {
    problems.push({ path: ['tasks'], message: 'no tasks defined: add a [tasks.NAME] table' });
  }
  if (!isTable(tasksTable)) return [];
  const defaultsBad = badKeys(problems, ['defaults']);
  const defaults = TaskSchema.safeParse(withoutKeys(root['defaults'] ?? {}, defaultsBad));
  if (!defaults.success) return [];
  const specs: TaskSpec[] = [];
  const nodes: DependencyNode[] = [];
  for (const [name, value] of Object.entries(tasksTable)) {
    if (problems.some((p) => p.path.length <= 2 && p.path[0] === 'tasks' && p.path[1] === name)) continue;
    const bad = badKeys(problems, ['tasks', name]);
    const own = TaskSchema.safeParse(withoutKeys(value, bad));
    if (!own.success) continue;
    const resolved = resolveTask(name, own.data, defaults.data, ctx, new Set([...bad, ...defaultsBad]));
    problems.push(...resolved.problems);
    nodes.push(resolved.node);
    if (resolved.spec !== null) specs.push(resolved.spec);
  }
  problems.push(...dependencyProblems(nodes, Object.keys(tasksTable)));
  return specs;
}

/** Keys of the table at `prefix` that already have a problem at or below them. */
function badKeys(problems: readonly PathProblem[], prefix: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const { path } of problems) {
    const key = path[prefix.length];
    if (typeof key === 'string' && prefix.every((segment, i) => path[i] === segment)) keys.add(key);
  }
  return keys;
}

function withoutKeys(table: unknown, keys: ReadonlySet<string>): unknown {
  return isTable(table) ? Object.fromEntries(Object.entries(table).filter(([key]) => !keys.has(key))) : table;
}

function locateAll(text: string, problems: readonly PathProblem[]): ConfigProblem[] {
  const locator = new SourceLocator(text);
  const seen = new Set<string>();
  const located: ConfigProblem[] = [];
  for (const problem of problems) {
    const at = locator.locate(problem.path);
    const out = { path: formatPath(problem.path), line: at?.line ?? null, column: at?.column ?? null, message: showPodVariables(problem.message) };
    const key = `${out.path}\0${out.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    located.push(out);
  }
  // Stable: problems on the same line keep the order they were found in.
  return located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

/** Relative to the cwd when the file is inside it, so messages match what the user typed. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
