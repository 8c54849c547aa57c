import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { KeyPath } from '../path.js';
import { expandTree, isTable, type PathProblem } from '../validate.js';
import { expandGlob, isGlob, type ReadDir } from './glob.js';

/** One config file of the project, parsed and `${VAR}`-expanded. */
export interface ConfigSource {
  /** Absolute path. */
  readonly file: string;
  readonly text: string;
  /** The expanded TOML tree (`${CONFIG_DIR}` is this file's directory). */
  readonly value: unknown;
  /** Index (in the sources) of the file whose `include` reached this one; null for tasks.toml. */
  readonly parent: number | null;
}

/** A problem in one file: at a key path, or at a position the TOML parser gave. */
export interface SourceProblem extends PathProblem {
  readonly file: string;
  readonly at?: { readonly line: number; readonly column: number };
}

export interface CollectDeps {
  readonly readFile: (file: string) => string;
  readonly readDir: ReadDir;
  /** `${VAR}` values other than CONFIG_DIR. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly display: (file: string) => string;
}

export interface Collected {
  readonly sources: readonly ConfigSource[];
  readonly problems: readonly SourceProblem[];
  /** An included file is not valid TOML (reported like a syntax error of tasks.toml). */
  readonly syntax: boolean;
  /** An include glob that matched no file (at its `include[i]`). */
  readonly warnings: readonly SourceProblem[];
}

/** The root file could not be read or parsed: nothing else is worth reporting. */
export type RootFailure = { readonly type: 'unreadable'; readonly error: unknown } | { readonly type: 'syntax'; readonly error: TomlError };

/**
 * Reads tasks.toml and, depth first in `include` order, every file its `include` lists (paths or
 * globs relative to the including file), recursively. A file reached twice is read once, under the
 * first include that reached it; an include that leads back to a file being read is a cycle,
 * reported with its chain. Every problem is collected; a glob matching nothing is only a warning.
 */
export function collectSources(root: string, deps: CollectDeps): Collected | RootFailure {
  const sources: ConfigSource[] = [];
  const problems: SourceProblem[] = [];
  const warnings: SourceProblem[] = [];
  const seen = new Set<string>();
  let syntax = false;

  const read = (file: string, parent: number | null, stack: readonly string[], from: { file: string; path: KeyPath } | null): RootFailure | null => {
    let text: string;
    try {
      text = deps.readFile(file);
    } catch (error) {
      if (from === null) return { type: 'unreadable', error };
      const missing = (error as { code?: unknown }).code === 'ENOENT';
      problems.push({ file: from.file, path: from.path, message: missing ? `file not found: ${deps.display(file)}` : `cannot read ${deps.display(file)}: ${(error as Error).message}` });
      return null;
    }
    let raw: unknown;
    try {
      raw = parse(text);
    } catch (error) {
      if (!(error instanceof TomlError)) throw error;
      if (from === null) return { type: 'syntax', error };
      syntax = true;
      problems.push({ file, path: [], message: error.message.split('\n')[0] ?? error.message, at: { line: error.line, column: error.column } });
      return null;
    }
    const dir = path.dirname(file);
    const expanded = expandTree(raw, (name) => (name === 'CONFIG_DIR' ? dir : deps.env[name]));
    for (const p of expanded.problems) problems.push({ file, ...p });
    const index = sources.push({ file, text, value: expanded.value, parent }) - 1;
    const includes = isTable(expanded.value) ? expanded.value['include'] : undefined;
    if (!Array.isArray(includes)) return null;
    includes.forEach((entry: unknown, i) => {
      // Non-strings are the schema's to report.
      if (typeof entry !== 'string' || entry === '') return;
      const at = { file, path: ['include', i] };
      const targets = isGlob(entry) ? expandGlob(dir, entry, deps.readDir) : [path.resolve(dir, entry)];
      if (targets.length === 0) warnings.push({ ...at, message: `${JSON.stringify(entry)} matched no file` });
      for (const target of targets) {
        const loop = stack.indexOf(target);
        if (loop !== -1) {
          const chain = [...stack.slice(loop), target].map(deps.display).join(' -> ');
          problems.push({ ...at, message: `include cycle: ${chain}` });
          continue;
        }
        if (seen.has(target)) continue;
        seen.add(target);
        read(target, index, [...stack, target], at);
      }
    });
    return null;
  };

  seen.add(root);
  const failure = read(root, null, [root], null);
  if (failure !== null) return failure;
  return { sources, problems, syntax, warnings };
}
