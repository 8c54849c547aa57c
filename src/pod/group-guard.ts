import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtFile } from '../util/built-file.js';
import type { Logger } from '../util/logger.js';
import type { GroupRegistry } from './pod.js';
import { processStartTime, trySignal } from './process-group.js';
import { procSnapshot } from './proc-view.js';
import { RUN_ID_VAR, reapTargets, type GroupEntry } from './reap-plan.js';
import { bootId, readStateFile, StateFileWriter, type StateFile } from './state-file.js';
import { WATCHDOG_SHELL, watchdogArgs } from './watchdog-script.js';

/**
 * Makes sure no pod outlives the orchestrator: a watchdog process reaps the groups if we die
 * abruptly, and a state file under `.orchestrator/` lets the next run reap what even the
 * watchdog could not (both died). There is no instant at which a pod process exists that neither
 * could find: the file names the run's id (ORCHESTRATOR_RUN_ID, in every pod's environment)
 * before the first pod starts, and the watchdog learns of each pod before its spawn starts (its
 * pod id, written synchronously), by which it can find the process until it learns its group. The
 * group follows with the next pod's id or at the end of the turn, so a burst of N starts is N
 * writes to the watchdog, not 2N. No file write waits on a spawn: pod ids, pgids and removals
 * follow within the turn, coalesced, and a stale entry is never signalled (start times).
 */
export class GroupGuard implements GroupRegistry {
  private readonly groups = new Map<number, GroupEntry>();
  private readonly spawningIds = new Set<string>();
  private watchdog: ChildProcess | null = null;
  private readonly statePath: string;
  private readonly identity: Pick<StateFile, 'pid' | 'start' | 'boot' | 'run'> = { pid: process.pid, start: processStartTime(process.pid), boot: bootId(), run: randomUUID() };
  readonly podEnv: Readonly<Record<string, string>> = { [RUN_ID_VAR]: this.identity.run as string };
  /** Lines for the watchdog not written yet (never a pod id before its spawn: those go at once). */
  private unsent = '';
  private writeFailed = false;
  private readonly stateFile: StateFileWriter;
  private writeScheduled = false;
  /** After close: the file no longer names the run, so nothing it started is reaped later. */
  private closed = false;

  constructor(
    private readonly stateDir: string,
    private readonly logger: Logger,
  ) {
    this.statePath = join(stateDir, 'pods.json');
    this.stateFile = new StateFileWriter(this.statePath, () => this.state(), (error) => this.writeError(error), () => (this.writeFailed = false));
  }

  /** Reaps leftovers of a previous run that died, then starts the watchdog. Before any pod starts. */
  open(): void {
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    this.reapLeftovers();
    // The watchdog is a shell loop (watchdog-script.ts); the Node reaper runs only after a crash.
    const reaper = builtFile(import.meta.url, 'pod/watchdog.js');
    const unguarded = (error: unknown): void => this.logger.warn({ err: error }, 'pod watchdog could not start; pods may outlive a crashed orchestrator until the next run reaps them');
    let child: ChildProcess;
    try {
      child = spawn(WATCHDOG_SHELL, watchdogArgs(process.execPath, reaper, this.statePath, process.pid), { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    } catch (error) {
      unguarded(error);
      this.writeFirstState();
      return;
    }
    child.on('error', unguarded);
    child.stdin?.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.watchdog = child;
    this.writeFirstState();
  }

  spawning(podId: string): void {
    this.spawningIds.add(podId);
    this.tellNow(`? ${podId}\n`);
    this.scheduleWrite();
  }

  spawned(podId: string, pgid: number | null): void {
    this.spawningIds.delete(podId);
    // The leader cannot have been reaped yet (we have not seen its exit), so its stat is readable.
    const start = pgid === null ? null : processStartTime(pgid);
    if (pgid !== null && start !== null) {
      this.groups.set(pgid, { pgid, start, podId });
      this.tellSoon(`+ ${pgid} ${start} ${podId}\n`);
    } else {
      this.tellSoon(`! ${podId}\n`);
    }
    this.scheduleWrite();
  }

  remove(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.tellSoon(`- ${pgid}\n`);
    this.scheduleWrite();
  }

  /** Every pod is gone: tell the watchdog to exit without reaping, and clear the state file. */
  close(): void {
    this.watchdog?.stdin?.end(`${this.unsent}bye\n`);
    this.unsent = '';
    this.watchdog = null;
    this.groups.clear();
    this.spawningIds.clear();
    this.closed = true;
    this.stateFile.finish(this.state());
  }

  /** With what was not sent yet, in order. A write to a pipe with room happens in the call (libuv tries the syscall at once). */
  private tellNow(line: string): void {
    const text = this.unsent + line;
    this.unsent = '';
    this.watchdog?.stdin?.write(text);
  }

  /** With the next pod id, or at the end of this turn. */
  private tellSoon(line: string): void {
    if (this.unsent === '') queueMicrotask(() => this.flushUnsent());
    this.unsent += line;
  }

  private flushUnsent(): void {
    if (this.unsent !== '') this.tellNow('');
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.stateFile.write(); // a no-op once close() has written the last state
    });
  }

  /**
   * Synchronous, before any pod starts: from then on the file names the run's id, by which a next
   * run finds every pod even if both we and the watchdog die. Later writes only add detail (the
   * groups), so they go in the background.
   */
  private writeFirstState(): void {
    this.stateFile.writeSync();
  }

  private state(): StateFile {
    return { ...this.identity, ...(this.closed ? { run: null } : {}), groups: [...this.groups.values()], spawning: [...this.spawningIds] };
  }

  private writeError(error: unknown): void {
    // Once per streak of failures: the watchdog still knows every group.
    if (!this.writeFailed) this.logger.warn({ err: error, path: this.statePath }, `could not write pod state file ${this.statePath}; only the watchdog can reap pods if the orchestrator dies`);
    this.writeFailed = true;
  }

  private reapLeftovers(): void {
    const state = readStateFile(this.statePath);
    if (state === null || state.pid === process.pid) return;
    if (state.boot !== null && state.boot !== this.identity.boot) return;
    if (state.start !== null && processStartTime(state.pid) === state.start) {
      this.logger.warn({ pid: state.pid }, `another orchestrator (pid ${state.pid}) is running from this directory; its pods are left alone`);
      return;
    }
    const targets = reapTargets(state, procSnapshot(), process.pid);
    let reaped = 0;
    for (const pgid of targets) if (trySignal(pgid, 'SIGKILL')) reaped += 1;
    if (reaped > 0) this.logger.warn({ reaped, pid: state.pid }, `reaped ${reaped} process group(s) left by a previous run (pid ${state.pid}) that did not stop cleanly`);
  }
}
