import { closeSync, fchmodSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import type { GroupEntry, ReapList } from './reap-plan.js';

/** `.orchestrator/pods.json`: which orchestrator runs from the directory and what it has started. */
export interface StateFile extends ReapList {
  readonly pid: number;
  /** The orchestrator's kernel start time: tells a live orchestrator from a reused pid. */
  readonly start: string | null;
  /** /proc/sys/kernel/random/boot_id: after a reboot nothing listed can be alive. */
  readonly boot: string | null;
}

/**
 * Replaces the file atomically (write a private temp file, then rename over it), so a reader, the
 * watchdog or the next run, sees the old list or the new one, never half of one. No fsync: the
 * file must survive our process dying, not the machine, and a reboot ends every pod anyway.
 */
export function writeStateFile(path: string, state: StateFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    // A temp file left by a crashed writer with the same pid keeps its mode; make it private.
    fchmodSync(fd, 0o600);
    writeSync(fd, JSON.stringify(state));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * The same replacement without blocking the event loop: on a busy disk a synchronous write and
 * rename stalled every pod's messages for 100+ ms. Its own temp name, so it never shares one with
 * a synchronous write made while it runs. Callers serialise (see StateFileWriter).
 */
export async function writeStateFileAsync(path: string, state: StateFile): Promise<void> {
  const tmp = `${path}.${process.pid}.async.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(state));
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/**
 * Keeps `.orchestrator/pods.json` current without blocking: at most one asynchronous write at a
 * time, and a change made while one runs is written by one more write after it (the latest state
 * wins; states in between are skipped). `writeNow` is for the last write of a run (it must be on
 * disk before the process exits): synchronous, and when an asynchronous write was still running,
 * written again once that one has renamed its older state over it. `writeSync` is for the first
 * (nothing runs in the background yet).
 */
export class StateFileWriter {
  private running = false;
  private again = false;
  private final: StateFile | null = null;

  constructor(
    private readonly path: string,
    private readonly current: () => StateFile,
    private readonly failed: (error: unknown) => void,
    private readonly succeeded: () => void,
  ) {}

  /** Writes the current state soon, in the background. */
  write(): void {
    if (this.final !== null) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    writeStateFileAsync(this.path, this.current()).then(this.succeeded, this.failed).finally(this.settled);
  }

  /** Writes the current state now, synchronously (before anything runs in the background). */
  writeSync(): void {
    this.sync(this.current());
  }

  /** Writes `state` now, synchronously; nothing written later replaces it. */
  finish(state: StateFile): void {
    this.final = state;
    this.sync(state);
  }

  private readonly settled = (): void => {
    this.running = false;
    if (this.final !== null) this.sync(this.final);
    else if (this.again) {
      this.again = false;
      this.write();
    }
  };

  private sync(state: StateFile): void {
    try {
      writeStateFile(this.path, state);
      this.succeeded();
    } catch (error) {
      this.failed(error);
    }
  }
}

/** The file's content, or null when it is missing or not a state file (nothing to reap then). */
export function readStateFile(path: string): StateFile | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const state = raw as Record<string, unknown>;
  if (typeof state.pid !== 'number') return null;
  const groups = Array.isArray(state.groups) ? state.groups.filter(isGroupEntry).map((g) => ({ pgid: g.pgid, start: g.start, podId: typeof g.podId === 'string' ? g.podId : '' })) : [];
  const spawning = Array.isArray(state.spawning) ? state.spawning.filter((id): id is string => typeof id === 'string') : [];
  return {
    pid: state.pid,
    start: typeof state.start === 'string' ? state.start : null,
    boot: typeof state.boot === 'string' ? state.boot : null,
    groups,
    spawning,
    run: typeof state.run === 'string' && state.run !== '' ? state.run : null,
  };
}

function isGroupEntry(value: unknown): value is Omit<GroupEntry, 'podId'> & { podId?: unknown } {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.pgid === 'number' && Number.isInteger(entry.pgid) && entry.pgid > 1 && typeof entry.start === 'string';
}

/** This boot's id, or null where the kernel does not expose one. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}
