import type { DependencyCondition } from '../config/types.js';
import { type DependencyTask, startLevels } from './graph.js';
import type { TaskState } from './task-phase.js';

/** What the gate reads of a task that has not been decided yet: waiting (or running) but not started. */
function notStarted(state: TaskState): boolean {
  return !state.started && (state.phase === 'waiting' || state.phase === 'running' || state.phase === 'ready');
}

const WAITING: TaskState = { phase: 'waiting', started: false, reason: null };

export interface UnmetDependency {
  readonly task: string;
  readonly condition: DependencyCondition;
}

/**
 * What to do with a task now. Only tasks that have not started (see `TaskState.started`) get
 * `start`, `wait` or `skip`; a task that has already started or ended gets `none`. `skip.chain` runs from the direct dependency to the task
 * whose failure caused it: `["b", "a"]` when b was skipped because a failed.
 */
export type Decision =
  | { readonly action: 'start' }
  | { readonly action: 'wait'; readonly waitingFor: readonly UnmetDependency[] }
  | { readonly action: 'skip'; readonly reason: string; readonly chain: readonly string[] }
  | { readonly action: 'none' };

type Verdict = 'met' | 'unmet' | { readonly never: string; readonly chain: readonly string[] };

/**
 * Decides every task at once, dependencies first, so a skip propagates through the whole chain in
 * one call even before the runtime has recorded the intermediate skips. A missing state counts
 * as `waiting`.
 */
export function decide(tasks: readonly DependencyTask[], states: ReadonlyMap<string, TaskState>): Map<string, Decision> {
  const decisions = new Map<string, Decision>();
  const statusOf = (name: string): TaskState => states.get(name) ?? WAITING;
  const byName = new Map(tasks.map((task) => [task.name, task]));
  for (const name of startLevels(tasks).flat()) {
    const task = byName.get(name) as DependencyTask;
    if (!notStarted(statusOf(name))) {
      decisions.set(name, { action: 'none' });
      continue;
    }
    const waitingFor: UnmetDependency[] = [];
    let skip: Decision | null = null;
    for (const [dependency, condition] of Object.entries(task.dependsOn)) {
      const verdict = conditionVerdict(statusOf(dependency), condition, decisions.get(dependency));
      if (verdict === 'met') continue;
      if (verdict === 'unmet') {
        waitingFor.push({ task: dependency, condition });
      } else {
        skip ??= { action: 'skip', reason: `dependency "${dependency}" ${verdict.never}`, chain: [dependency, ...verdict.chain] };
      }
    }
    decisions.set(name, skip ?? (waitingFor.length === 0 ? { action: 'start' } : { action: 'wait', waitingFor }));
  }
  return decisions;
}

/**
 * Whether `condition` holds for a dependency, can still come to hold, or never will (and why).
 * A succeeded job also counts as started and ready; a failed task still counts as started if a
 * pod ever ran. `decision` is the dependency's own decision in this round, for skips not yet recorded.
 */
function conditionVerdict(status: TaskState, condition: DependencyCondition, decision: Decision | undefined): Verdict {
  switch (status.phase) {
    case 'succeeded':
      return 'met';
    case 'failed':
      if (condition === 'started' && status.started) return 'met';
      return { never: `failed: ${status.reason}`, chain: [] };
    case 'skipped':
      return { never: `was skipped: ${status.reason}`, chain: [] };
    case 'waiting':
    case 'running':
    case 'ready':
      if (!status.started) {
        if (decision?.action === 'skip') return { never: `was skipped: ${decision.reason}`, chain: decision.chain };
        return 'unmet';
      }
      if (condition === 'started') return 'met';
      return condition === 'ready' && status.phase === 'ready' ? 'met' : 'unmet';
  }
}

/** `db (ready), migrate (completed)`: for a "waiting for …" log line. */
export function formatWaitingFor(waitingFor: readonly UnmetDependency[]): string {
  return waitingFor.map((d) => `${d.task} (${d.condition})`).join(', ');
}
