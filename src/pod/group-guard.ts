import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../util/logger.js';
import type { GroupRegistry } from './pod.js';
import { groupAlive, processStartTime, signalGroup } from './process-group.js';

interface StateFile {
  readonly pid: number;
  readonly start: string | null;
  readonly groups: ReadonlyArray<{ readonly pgid: number; readonly start: string }>;
}

/**
 * Makes sure no pod outlives the orchestrator: a watchdog process reaps the groups if we die
 * abruptly, and a state file under `.orchestrator/` lets the next run reap what even the
 * watchdog could not (both died). Start times guard against signalling a reused pid.
 */
export class GroupGuard implements GroupRegistry {
  private readonly groups = new Map<number, string>();
  private watchdog: ChildProcess | null = null;
  private writeScheduled = false;
  private readonly statePath: string;

  constructor(
    private readonly stateDir: string,
    private readonly logger: Logger,
  ) {
    this.statePath = join(stateDir, 'pods.json');
  }

  /** Reaps leftovers of a previous run that died, then starts the watchdog. */
  open(): void {
    mkdirSync(this.stateDir, { recursive: true });
    this.reapLeftovers();
    const script = fileURLToPath(new URL('./watchdog.js', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', (error) => this.logger.warn({ err: error }, 'pod watchdog could not start; pods may outlive a crashed orchestrator'));
    child.stdin?.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    this.watchdog = child;
    this.writeState();
  }

  add(pgid: number): void {
    const start = processStartTime(pgid);
    if (start === null) return;
    this.groups.set(pgid, start);
    this.watchdog?.stdin?.write(`+ ${pgid} ${start}\n`);
    this.scheduleWrite();
  }

  remove(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.watchdog?.stdin?.write(`- ${pgid}\n`);
    this.scheduleWrite();
  }

  /** Every pod is gone: tell the watchdog to exit without reaping, and clear the state file. */
  close(): void {
    this.watchdog?.stdin?.end('bye\n');
    this.watchdog = null;
    this.groups.clear();
    this.writeState();
  }

  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.writeState();
    });
  }

  private writeState(): void {
    const state: StateFile = {
      pid: process.pid,
      start: processStartTime(process.pid),
      groups: [...this.groups].map(([pgid, start]) => ({ pgid, start })),
    };
    try {
      const tmp = `${this.statePath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, this.statePath);
    } catch (error) {
      this.logger.warn({ err: error, path: this.statePath }, 'could not write pod state file');
    }
  }

  private reapLeftovers(): void {
    let state: StateFile;
    try {
      state = JSON.parse(readFileSync(this.statePath, 'utf8')) as StateFile;
    } catch {
      return;
    }
    if (state.pid !== process.pid && state.start !== null && processStartTime(state.pid) === state.start) {
      this.logger.warn({ pid: state.pid }, `another orchestrator (pid ${state.pid}) is running from this directory; its pods are left alone`);
      return;
    }
    let reaped = 0;
    for (const { pgid, start } of state.groups ?? []) {
      const now = processStartTime(pgid);
      if ((now === null || now === start) && groupAlive(pgid) && signalGroup(pgid, 'SIGKILL')) reaped += 1;
    }
    if (reaped > 0) this.logger.warn({ reaped }, `reaped ${reaped} process group(s) left by a previous run that did not stop cleanly`);
  }
}
