/** The part of a file's stat that a real write changes. */
export interface FileStamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * Tells real changes from repeats. The watcher reports a file again whenever a late inotify event
 * reaches it (chokidar counts any event where atime ≤ mtime as a change, even if nothing changed).
 * If the orchestrator stalls past the debounce, such a repeat would start a second restart for the
 * same save. A path counts as changed only when its stamp differs from the last one seen; a removal
 * always counts and forgets the stamp.
 */
export class ChangeFilter {
  private readonly seen = new Map<string, string>();

  /** True when `path` with this stamp is new since the last call for it; `null` means removed. */
  changed(path: string, stamp: FileStamp | null | undefined): boolean {
    // A removal, or an event without a stamp (a failed stat, so we cannot tell): it counts, and
    // whatever stamp comes next is new.
    if (stamp === null || stamp === undefined) {
      this.seen.delete(path);
      return true;
    }
    const key = `${stamp.ino}:${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}`;
    if (this.seen.get(path) === key) return false;
    this.seen.set(path, key);
    return true;
  }
}
