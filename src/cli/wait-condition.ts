import type { TaskInfo } from '../control/api-types.js';
import { isJob } from '../jobs/index.js';
import { UsageError } from './usage-error.js';

export type WaitCondition = 'ready' | 'complete';

export type WaitVerdict = { readonly type: 'met' | 'pending' | 'never'; readonly message: string };

/**
 * Whether `condition` holds for the named tasks (all when none are named; for `complete`, all jobs).
 * `never` when it cannot hold any more: a job failed or a task was skipped.
 */
export function waitVerdict(tasks: readonly TaskInfo[], names: readonly string[], condition: WaitCondition): WaitVerdict {
  const known = new Map(tasks.map((t) => [t.name, t]));
  for (const name of names) {
    if (!known.has(name)) throw new UsageError(`unknown task "${name}"; tasks: ${[...known.keys()].join(', ')}`);
  }
  const selected = names.length > 0 ? names.map((n) => known.get(n) as TaskInfo) : condition === 'complete' ? tasks.filter(isJob) : [...tasks];
  const dead = selected.find((t) => t.state === 'failed' || t.state === 'skipped');
  if (dead !== undefined) return { type: 'never', message: `${dead.name} ${dead.state === 'failed' ? 'failed' : 'was skipped'}` };
  const holds = (t: TaskInfo): boolean => (condition === 'complete' ? t.state === 'completed' : t.state === 'ready' || t.state === 'completed');
  const missing = selected.filter((t) => !holds(t));
  if (missing.length === 0) return { type: 'met', message: `${condition}: ${selected.map((t) => t.name).join(', ') || '(no tasks)'}` };
  return { type: 'pending', message: `waiting for ${missing.map((t) => `${t.name} (${t.state}, ${t.ready}/${t.desired} ready)`).join(', ')}` };
}

