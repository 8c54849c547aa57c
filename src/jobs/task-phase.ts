/**
 * Where a task stands, in the one vocabulary every reader uses: `ps`, `tasks`, `wait`, the
 * dependency gate and the run's completion. `waiting`: held back by depends_on (or not started
 * yet). `running`: released, not every desired replica ready. `ready`: every desired replica
 * ready. `succeeded` / `failed`: a job whose pods all finished. `skipped`: a dependency could
 * never be met, so it will not run.
 */
export type TaskPhase = 'waiting' | 'running' | 'ready' | 'succeeded' | 'failed' | 'skipped';

/** A task's phase plus what `depends_on` needs beyond it. */
export interface TaskState {
  readonly phase: TaskPhase;
  /**
   * `depends_on = { x = "started" }` holds: a pod of it was spawned, or none is wanted
   * (replicas = 0), or it finished. A released task reads `running` before its first pod spawns,
   * but has not started yet.
   */
  readonly started: boolean;
  /** Why it failed or was skipped; null in every other phase. */
  readonly reason: string | null;
}

/** What the runtime knows about one task, the input of `deriveTaskState`. */
export interface TaskFacts {
  readonly job: boolean;
  /** The gate skipped it (the reason), else null. */
  readonly skipped: string | null;
  /** The gate let it start. */
  readonly released: boolean;
  readonly desired: number;
  /** Pods that exist (leaving ones included). */
  readonly pods: number;
  /** No pod is running or due to restart: every pod finished for good. */
  readonly settled: boolean;
  /** `<pod> <how it ended>` of the first pod whose final run failed, null if none. */
  readonly firstFailure: string | null;
  /** Ready pods (leaving ones included). */
  readonly readyPods: number;
  /** A pod of the task has run (reached `running`) in this run. */
  readonly everRan: boolean;
}

/** The one derivation of a task's phase. A job at replicas = 0 counts as succeeded. */
export function deriveTaskState(facts: TaskFacts): TaskState {
  if (facts.skipped !== null) return { phase: 'skipped', started: false, reason: facts.skipped };
  if (!facts.released) return { phase: 'waiting', started: false, reason: null };
  if (facts.job && (facts.desired === 0 || (facts.pods > 0 && facts.settled))) {
    if (facts.firstFailure === null) return { phase: 'succeeded', started: true, reason: null };
    return { phase: 'failed', started: true, reason: facts.firstFailure };
  }
  const started = facts.everRan || facts.desired === 0;
  return { phase: started && facts.readyPods >= facts.desired ? 'ready' : 'running', started, reason: null };
}
