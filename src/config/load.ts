import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DependencyNode, dependencyProblems } from './dependencies.js';
import { ConfigError, formatProblem, type ConfigProblem } from './errors.js';
import { collectSources, type ConfigSource, type SourceProblem } from './include/collect.js';
import type { DirEntry } from './include/glob.js';
import { SourceLocator } from './locate.js';
import { formatPath, type KeyPath } from './path.js';
import { showPodVariables } from './pod-template.js';
import { resolveTask } from './resolve.js';
import { resolveBus } from './resolve-bus.js';
import { TaskSchema } from './schema.js';
import type { BusConfig, OrchestratorConfig, TaskSpec } from './types.js';
import { isTable, type PathProblem, validateShape } from './validate.js';

export interface LoadConfigOptions {
  /** Variables for `${VAR}` expansion; defaults to process.env (read at call time). */
  readonly env?: Record<string, string | undefined>;
  /** Reads tasks.toml, included files and env files; defaults to fs.readFileSync as UTF-8. */
  readonly readFile?: (file: string) => string;
  /** Lists a directory for include globs (null when missing); defaults to fs.readdirSync. */
  readonly readDir?: (dir: string) => readonly DirEntry[] | null;
}

type ValidTask = ReturnType<typeof TaskSchema.parse>;

/** The [defaults] a file's tasks get: its own over those of the files that included it, nearest wins. */
interface Defaults {
  readonly values: ValidTask;
  /** Key → the file whose [defaults] set it (for problem locations). */
  readonly origin: ReadonlyMap<string, string>;
  /** Keys left out anywhere in the chain because they have a problem. */
  readonly bad: ReadonlySet<string>;
}

/**
 * Reads, expands, validates and resolves tasks.toml and the files it includes into one fully
 * defaulted config. Throws a ConfigError listing every problem found in every file
 * (`CONFIG_NOT_FOUND`, `CONFIG_TOML_SYNTAX` or `CONFIG_INVALID`); never returns a partially valid config.
 */
export function loadConfig(file: string, options: LoadConfigOptions = {}): OrchestratorConfig {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const readDir = options.readDir ?? fsReadDir;
  const env = options.env ?? process.env;
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const shown = displayPath(absolute);

  const collected = collectSources(absolute, { readFile, readDir, env, display: displayPath });
  if ('type' in collected) {
    const error = collected.error as { code?: unknown; message: string; line?: number; column?: number };
    if (collected.type === 'syntax') {
      // The parser's message repeats the position and a code excerpt; the first line is the reason.
      const reason = error.message.split('\n')[0] ?? error.message;
      throw new ConfigError('CONFIG_TOML_SYNTAX', shown, [{ path: '', line: error.line ?? null, column: error.column ?? null, message: reason }], { cause: error });
    }
    const message = error.code === 'ENOENT' ? 'file not found' : `cannot read file: ${error.message}`;
    throw new ConfigError('CONFIG_NOT_FOUND', shown, [{ path: '', line: null, column: null, message }], { cause: error });
  }

  const { sources } = collected;
  const problems: SourceProblem[] = [...collected.problems];
  const taskFiles: Record<string, string> = {};
  const specs: TaskSpec[] = [];
  const nodes: Array<{ node: DependencyNode; defaults: Defaults }> = [];
  const chain: Defaults[] = [];
  for (const [index, source] of sources.entries()) {
    const fileProblems = problems.filter((p) => p.file === source.file).map((p) => p.path);
    const unexpanded = new Set(fileProblems.map((p) => JSON.stringify(p)));
    const shape = validateShape(source.value).problems.filter((p) => !unexpanded.has(JSON.stringify(p.path)));
    problems.push(...shape.map((p) => ({ file: source.file, ...p })));
    const own = problems.filter((p) => p.file === source.file);
    const parent = source.parent === null ? null : (chain[source.parent] ?? null);
    const defaults = fileDefaults(source, own, parent);
    chain[index] = defaults ?? { values: parent?.values ?? {}, origin: parent?.origin ?? new Map(), bad: parent?.bad ?? new Set() };
    if (defaults === null) continue;
    resolveFileTasks(source, own, defaults, { problems, taskFiles, specs, nodes, sources, readFile });
  }
  const names = Object.keys(taskFiles);
  if (names.length === 0 && !problems.some((p) => p.path[0] === 'tasks')) problems.push({ file: absolute, path: ['tasks'], message: 'no tasks defined: add a [tasks.NAME] table' });
  // With a file that did not parse, tasks it defines are unknown: "unknown task" would mislead.
  if (!collected.syntax) {
    // A problem's path is the ref's own array: it tells which task (and so which [defaults] chain) wrote it.
    const owner = new Map<KeyPath, { name: string; defaults: Defaults }>();
    for (const { node, defaults } of nodes) for (const ref of node.refs) owner.set(ref.path, { name: node.name, defaults });
    for (const p of dependencyProblems(
      nodes.map((n) => n.node),
      names,
    )) {
      const by = owner.get(p.path);
      const taskFile = by === undefined ? (typeof p.path[1] === 'string' ? taskFiles[p.path[1]] : undefined) : taskFiles[by.name];
      problems.push({ file: by === undefined ? (taskFile ?? absolute) : fileOf(p.path, taskFile ?? absolute, by.defaults), ...p });
    }
  }

  // [bus] is one per project: read from the top file only.
  const bus = resolveRootBus(sources, absolute, dir, problems);
  const locate = locator(sources);
  if (problems.length > 0) {
    throw new ConfigError(collected.syntax ? 'CONFIG_TOML_SYNTAX' : 'CONFIG_INVALID', shown, locateAll(problems, sources, absolute, locate));
  }
  const warnings = locateAll(collected.warnings, sources, absolute, locate).map((p) => formatProblem(p.file ?? shown, p));
  return { file: absolute, dir, tasks: specs, files: sources.map((s) => s.file), taskFiles, warnings, bus };
}

/** The top file's `[bus]` table; one in an included file is a problem there (it would be ambiguous). */
function resolveRootBus(sources: readonly ConfigSource[], absolute: string, dir: string, problems: SourceProblem[]): BusConfig | null {
  for (const source of sources.slice(1)) {
    if (isTable(source.value) && source.value['bus'] !== undefined) {
      problems.push({ file: source.file, path: ['bus'], message: `[bus] is read only from the top file (${displayPath(absolute)}), which sets it for the whole project: move it there` });
    }
  }
  const root = sources[0];
  if (root === undefined || !isTable(root.value) || problems.some((p) => p.file === absolute && p.path[0] === 'bus')) return null;
  const found: PathProblem[] = [];
  const bus = resolveBus(root.value['bus'], dir, found);
  problems.push(...found.map((p) => ({ file: absolute, ...p })));
  return bus;
}

/** The file's own [defaults] over its parent's; null when they fail the schema (its tasks are then not resolved). */
function fileDefaults(source: ConfigSource, own: readonly SourceProblem[], parent: Defaults | null): Defaults | null {
  const root = isTable(source.value) ? source.value : {};
  const bad = badKeys(own, ['defaults']);
  const parsed = TaskSchema.safeParse(withoutKeys(root['defaults'] ?? {}, bad));
  if (!parsed.success) return null;
  const origin = new Map(parent?.origin ?? []);
  for (const key of Object.keys(parsed.data)) origin.set(key, source.file);
  return { values: { ...parent?.values, ...parsed.data }, origin, bad: new Set([...(parent?.bad ?? []), ...bad]) };
}

interface Project {
  readonly problems: SourceProblem[];
  readonly taskFiles: Record<string, string>;
  readonly specs: TaskSpec[];
  readonly nodes: Array<{ node: DependencyNode; defaults: Defaults }>;
  readonly sources: readonly ConfigSource[];
  readonly readFile: (file: string) => string;
}

/**
 * Resolves every task of one file, even those with schema problems, so that problems only visible
 * after merging (missing command, missing env_file, backoff max < base, ...) are reported in the
 * same run. Keys that already have a problem are left out first, so nothing is reported twice.
 */
function resolveFileTasks(source: ConfigSource, own: readonly SourceProblem[], defaults: Defaults, project: Project): void {
  const root = isTable(source.value) ? source.value : {};
  const tasksTable = root['tasks'];
  if (isTable(tasksTable) && Object.keys(tasksTable).length === 0 && project.sources.length === 1) {
    project.problems.push({ file: source.file, path: ['tasks'], message: 'no tasks defined: add a [tasks.NAME] table' });
  }
  if (!isTable(tasksTable)) return;
  const ctx = { dir: path.dirname(source.file), readFile: project.readFile, display: displayPath };
  for (const [name, value] of Object.entries(tasksTable)) {
    const first = project.taskFiles[name];
    if (first !== undefined) {
      const at = new SourceLocator(project.sources.find((s) => s.file === first)?.text ?? '').locate(['tasks', name]);
      const where = `${displayPath(first)}${at === null ? '' : `:${at.line}`}`;
      project.problems.push({ file: source.file, path: ['tasks', name], message: `task "${name}" is already defined in ${where} (task names are unique across included files: rename one)` });
      continue;
    }
    project.taskFiles[name] = source.file;
    if (own.some((p) => p.path.length <= 2 && p.path[0] === 'tasks' && p.path[1] === name)) continue;
    const bad = badKeys(own, ['tasks', name]);
    const parsed = TaskSchema.safeParse(withoutKeys(value, bad));
    if (!parsed.success) continue;
    const resolved = resolveTask(name, parsed.data, defaults.values, ctx, new Set([...bad, ...defaults.bad]));
    for (const p of resolved.problems) project.problems.push({ file: fileOf(p.path, source.file, defaults), ...p });
    project.nodes.push({ node: resolved.node, defaults });
    if (resolved.spec !== null) project.specs.push(resolved.spec);
  }
}

/** Problems at `defaults.KEY` are in the file whose [defaults] set KEY; the rest in the task's file. */
function fileOf(at: KeyPath, taskFile: string, defaults: Defaults): string {
  return at[0] === 'defaults' && typeof at[1] === 'string' ? (defaults.origin.get(at[1]) ?? taskFile) : taskFile;
}

/** Keys of the table at `prefix` that already have a problem at or below them. */
function badKeys(problems: readonly PathProblem[], prefix: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const { path: at } of problems) {
    const key = at[prefix.length];
    if (typeof key === 'string' && prefix.every((segment, i) => at[i] === segment)) keys.add(key);
  }
  return keys;
}

function withoutKeys(table: unknown, keys: ReadonlySet<string>): unknown {
  return isTable(table) ? Object.fromEntries(Object.entries(table).filter(([key]) => !keys.has(key))) : table;
}

function locator(sources: readonly ConfigSource[]): (file: string) => SourceLocator {
  const cache = new Map<string, SourceLocator>();
  return (file) => {
    let hit = cache.get(file);
    if (hit === undefined) cache.set(file, (hit = new SourceLocator(sources.find((s) => s.file === file)?.text ?? '')));
    return hit;
  };
}

function locateAll(problems: readonly SourceProblem[], sources: readonly ConfigSource[], root: string, locate: (file: string) => SourceLocator): ConfigProblem[] {
  const order = new Map(sources.map((s, i) => [s.file, i]));
  const seen = new Set<string>();
  const located: Array<ConfigProblem & { order: number }> = [];
  for (const problem of problems) {
    const at = problem.at ?? locate(problem.file).locate(problem.path);
    const out = {
      ...(problem.file === root ? {} : { file: displayPath(problem.file) }),
      path: formatPath(problem.path),
      line: at?.line ?? null,
      column: at?.column ?? null,
      message: showPodVariables(problem.message),
    };
    const key = `${problem.file}\0${out.path}\0${out.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    located.push({ ...out, order: order.get(problem.file) ?? sources.length });
  }
  // Stable: problems on the same line keep the order they were found in.
  located.sort((a, b) => a.order - b.order || (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  return located.map(({ order: _order, ...p }) => p);
}

function fsReadDir(dir: string): DirEntry[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
  } catch {
    return null;
  }
}

/** Relative to the cwd when the file is inside it, so messages match what the user typed. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
