import type { DependencyCondition } from '../config/types.js';
import { type DependencyTask, startLevels } from './graph.js';

/**
 * What the runtime has observed of one task. `pending`: no pod started yet. `running`: pods were
 * spawned; `ready` when every desired replica is ready. `completed`: every replica exited
 * successfully (jobs). `failed`: the task gave up (a job out of restarts, a spawn error); `started`
 * says whether any pod ever ran. `skipped`: a dependency could never be met.
 */
export type TaskStatus =
  | { readonly state: 'pending' }
  | { readonly state: 'running'; readonly ready: boolean }
  | { readonly state: 'completed' }
  | { readonly state: 'failed'; readonly reason: string; readonly started: boolean }
  | { readonly state: 'skipped'; readonly reason: string };

export interface UnmetDependency {
  readonly task: string;
  readonly condition: DependencyCondition;
}

/**
 * What to do with a task now. Only `pending` tasks get `start`, `wait` or `skip`; a task that has
 * already started or ended gets `none`. `skip.chain` runs from the direct dependency to the task
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
 * one call even before the runtime has recorded the intermediate skips. A missing status counts
 * as `pending`.
 */
export function decide(tasks: readonly DependencyTask[], statuses: ReadonlyMap<string, TaskStatus>): Map<string, Decision> {
  const decisions = new Map<string, Decision>();
  const statusOf = (name: string): TaskStatus => statuses.get(name) ?? { state: 'pending' };
  const byName = new Map(tasks.map((task) => [task.name, task]));
  for (const name of startLevels(tasks).flat()) {
    const task = byName.get(name) as DependencyTask;
    if (statusOf(name).state !== 'pending') {
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
 * A completed job also counts as started and ready; a failed task still counts as started if a
 * pod ever ran. `decision` is the dependency's own decision in this round, for skips not yet recorded.
 */
function conditionVerdict(status: TaskStatus, condition: DependencyCondition, decision: Decision | undefined): Verdict {
  switch (status.state) {
    case 'completed':
      return 'met';
    case 'running':
      if (condition === 'started') return 'met';
      return condition === 'ready' && status.ready ? 'met' : 'unmet';
    case 'failed':
      if (condition === 'started' && status.started) return 'met';
      return { never: `failed: ${status.reason}`, chain: [] };
    case 'skipped':
      return { never: `was skipped: ${status.reason}`, chain: [] };
    case 'pending':
      if (decision?.action === 'skip') return { never: `was skipped: ${decision.reason}`, chain: decision.chain };
      return 'unmet';
  }
}

/** `db (ready), migrate (completed)`: for a "waiting for …" log line. */
export function formatWaitingFor(waitingFor: readonly UnmetDependency[]): string {
  return waitingFor.map((d) => `${d.task} (${d.condition})`).join(', ');
}
