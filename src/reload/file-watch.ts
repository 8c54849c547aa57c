import { relative, resolve, sep } from 'node:path';
import type { FSWatcher, watch as chokidarWatch } from 'chokidar';
import type { TaskSpec } from '../config/types.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { ChangeFilter, type FileStamp } from './change-filter.js';
import { canonical } from './config-diff.js';
import { debounce, type Debounced } from './debounce.js';
import { globBase, globToRegExp } from './glob.js';

/** Never watched: dependency trees, VCS data and our own state directory (written constantly). */
const ALWAYS_IGNORED = new Set(['node_modules', '.git', '.orchestrator']);

interface TaskWatch {
  readonly key: string;
  /** Null until chokidar has loaded. */
  watcher: FSWatcher | null;
  readonly debounced: Debounced;
}

/**
 * Per-task `watch` globs: a change under the task's cwd that matches (and is not ignored) calls
 * `onChange(task, file)` once the files have been quiet for `watch_debounce`, so an editor's
 * atomic save (temp file + rename) or a burst of writes gives one restart, not several.
 */
export class TaskFileWatcher {
  private readonly tasks = new Map<string, TaskWatch>();
  /** chokidar, imported when a task first has `watch` globs: a run without any never loads it. */
  private chokidar: Promise<{ readonly watch: typeof chokidarWatch }> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly onChange: (task: string, file: string) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts, replaces or stops the task's watcher to match its spec (a no-op when nothing relevant changed). */
  configure(spec: TaskSpec): void {
    const key = canonical([spec.cwd, spec.watch, spec.watchIgnore, spec.watchDebounceMs]);
    const existing = this.tasks.get(spec.name);
    if (existing?.key === key) return;
    this.remove(spec.name);
    // Loading rejects watch globs with a cwd that differs per pod.
    if (spec.watch.length === 0 || typeof spec.cwd !== 'string') return;
    const cwd = spec.cwd;
    const include = spec.watch.map(globToRegExp);
    const exclude = spec.watchIgnore.map(globToRegExp);
    const rel = (path: string): string => relative(cwd, path).split(sep).join('/');
    const ignored = (path: string): boolean => {
      const r = rel(path);
      if (r === '' || r.startsWith('..')) return false;
      return r.split('/').some((s) => ALWAYS_IGNORED.has(s)) || exclude.some((re) => re.test(r));
    };
    const bases = [...new Set(spec.watch.map((g) => resolve(cwd, globBase(g))))];
    const filter = new ChangeFilter();
    let changed: string[] = [];
    const debounced = debounce(this.clock, spec.watchDebounceMs, () => {
      const files = [...new Set(changed)];
      changed = [];
      const shown = files.length === 1 ? files[0]! : `${files[0]} (+${files.length - 1} more)`;
      this.logger.info({ task: spec.name, files }, `${shown} changed: restarting ${spec.name}`);
      this.onChange(spec.name, shown);
    });
    const entry: TaskWatch = { key, watcher: null, debounced };
    const onEvent = (path: string, stamp: FileStamp | null | undefined): void => {
      const r = rel(path);
      if (!include.some((re) => re.test(r)) || ignored(path)) return;
      if (!filter.changed(r, stamp)) return;
      changed.push(r);
      debounced.call();
    };
    this.tasks.set(spec.name, entry);
    const failed = (error: unknown): void => this.logger.warn({ task: spec.name, err: error }, `watching files for ${spec.name} failed: ${(error as Error).message}`);
    this.chokidar ??= import('chokidar');
    this.chokidar.then(({ watch }) => {
      // Removed, replaced or closed while chokidar loaded: nothing to watch any more.
      if (this.tasks.get(spec.name) !== entry) return;
      // alwaysStat: every add/change carries its stat, so the filter can drop repeats.
      const watcher = (entry.watcher = watch(bases, { ignored, ignoreInitial: true, atomic: true, alwaysStat: true }));
      watcher
        .on('add', (path, stats) => onEvent(path, stats))
        .on('change', (path, stats) => onEvent(path, stats))
        .on('unlink', (path) => onEvent(path, null));
      watcher.on('error', failed);
      watcher.on('ready', () => this.logger.info({ task: spec.name, bases }, `watching ${spec.watch.join(', ')} for ${spec.name}`));
    }, failed);
  }

  remove(task: string): void {
    const entry = this.tasks.get(task);
    if (entry === undefined) return;
    this.tasks.delete(task);
    entry.debounced.cancel();
    void entry.watcher?.close();
  }

  async close(): Promise<void> {
    const entries = [...this.tasks.values()];
    this.tasks.clear();
    for (const e of entries) e.debounced.cancel();
    await Promise.all(entries.map((e) => e.watcher?.close()));
  }
}
