import type { TaskSpec } from '../config/types.js';
import { decide, formatWaitingFor } from './decide.js';
import type { TaskState } from './task-phase.js';
import type { Logger } from '../util/logger.js';

export interface DependencyGateDeps {
  readonly logger: Logger;
  /** Where a task the gate has released stands. */
  status(task: string): TaskState;
  /** All conditions hold: start the task's pods. */
  start(task: string): void;
  /** A condition can never hold: the task will not run. */
  skip(task: string, reason: string): void;
}

/**
 * Holds back tasks with `depends_on` until their conditions hold (started, ready, completed),
 * and skips them when a dependency can never get there. The decisions are the pure `decide`;
 * this only remembers what it released or skipped and says once what a task is waiting for.
 */
export class DependencyGate {
  private readonly released = new Set<string>();
  private readonly skipped = new Map<string, string>();
  private readonly lastWait = new Map<string, string>();

  constructor(
    private tasks: readonly TaskSpec[],
    private readonly deps: DependencyGateDeps,
  ) {}

  /** New task list (reload). Released tasks stay released. */
  update(tasks: readonly TaskSpec[]): void {
    this.tasks = tasks;
  }

  isSkipped(task: string): string | null {
    return this.skipped.get(task) ?? null;
  }

  isReleased(task: string): boolean {
    return this.released.has(task);
  }

  /** Re-decides every held task; call after anything a condition depends on changed. */
  evaluate(): void {
    if (this.nothingHeld()) return;
    const statuses = new Map<string, TaskState>();
    for (const task of this.tasks) statuses.set(task.name, this.statusOf(task.name));
    for (const [name, decision] of decide(this.tasks, statuses)) {
      if (decision.action === 'start') {
        // A released task has not started until its first pod spawns: start it only once.
        if (this.released.has(name)) continue;
        this.released.add(name);
        this.lastWait.delete(name);
        this.deps.start(name);
      } else if (decision.action === 'skip') {
        this.skipped.set(name, decision.reason);
        this.deps.logger.error({ task: name, chain: decision.chain }, `${name}: skipped: ${decision.reason}`);
        this.deps.skip(name, decision.reason);
      } else if (decision.action === 'wait') {
        const waiting = formatWaitingFor(decision.waitingFor);
        if (this.lastWait.get(name) !== waiting) {
          this.lastWait.set(name, waiting);
          this.deps.logger.info({ task: name }, `${name}: waiting for ${waiting}`);
        }
      }
    }
  }

  /**
   * Every task is skipped, or released without dependencies: `decide` can only say `start` (to a
   * released task, a no-op) or `none`, so there is nothing to read. The gate is asked after every
   * pod change, and a task's status costs a pass over its pods: without this a start of N pods
   * reads N² pods.
   */
  private nothingHeld(): boolean {
    return this.tasks.every((task) => this.skipped.has(task.name) || (this.released.has(task.name) && !hasDependencies(task)));
  }

  private statusOf(task: string): TaskState {
    const skipped = this.skipped.get(task);
    if (skipped !== undefined) return { phase: 'skipped', started: false, reason: skipped };
    return this.released.has(task) ? this.deps.status(task) : { phase: 'waiting', started: false, reason: null };
  }
}

function hasDependencies(task: TaskSpec): boolean {
  for (const _ in task.dependsOn) return true;
  return false;
}
