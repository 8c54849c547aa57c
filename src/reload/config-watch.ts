import { dirname, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { systemClock, type Clock } from '../util/clock.js';
import { debounce, type Debounced } from './debounce.js';

/** Quiet time after the last change before reloading: one reload per editor save or burst. */
const DEBOUNCE_MS = 300;

/**
 * `run --watch`: calls `onChange` once tasks.toml or one of its env files was written and has
 * been quiet for a moment. The files' directories are watched (not the files), so editors that
 * save by writing a temp file and renaming it over the original are seen too.
 */
export class ConfigWatcher {
  private files = new Set<string>();
  private readonly watcher: FSWatcher;
  private readonly debounced: Debounced;
  private changed: string[] = [];
  readonly ready: Promise<void>;

  constructor(
    files: readonly string[],
    private readonly onChange: (files: readonly string[]) => void,
    clock: Clock = systemClock,
  ) {
    this.debounced = debounce(clock, DEBOUNCE_MS, () => {
      const changed = [...new Set(this.changed)];
      this.changed = [];
      this.onChange(changed);
    });
    this.files = new Set(files.map((f) => resolve(f)));
    this.watcher = watch(this.dirs(), { ignoreInitial: true, depth: 0, atomic: true, ignored: (path) => path.includes('/.orchestrator') || path.includes('/node_modules') || path.includes('/.git/') });
    this.watcher.on('all', (_event, path) => this.onEvent(resolve(path)));
    this.ready = new Promise((r) => this.watcher.once('ready', () => r()));
  }

  /** The env files may change with a reload. */
  setFiles(files: readonly string[]): void {
    const before = new Set(this.dirs());
    this.files = new Set(files.map((f) => resolve(f)));
    const added = this.dirs().filter((d) => !before.has(d));
    if (added.length > 0) this.watcher.add(added);
  }

  private dirs(): string[] {
    return [...new Set([...this.files].map((f) => dirname(f)))];
  }

  private onEvent(path: string): void {
    if (!this.files.has(path)) return;
    this.changed.push(path);
    this.debounced.call();
  }

  async close(): Promise<void> {
    this.debounced.cancel();
    await this.watcher.close();
  }
}
