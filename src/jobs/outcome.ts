import type { TaskSpec } from '../config/types.js';
import type { TaskState } from './task-phase.js';

/**
 * A task with restart = "never" or "on-failure" is a job: it is expected to finish. The one
 * definition, for specs and for wire rows (`TaskInfo.restart`) alike.
 */
export function isJob(task: { readonly restart: TaskSpec['restart'] | string }): boolean {
  return task.restart !== 'always';
}

/**
 * Where one job stands. `at` (epoch ms, when it failed or was skipped) orders failures so the
 * first one can be named; a skip is a failure of the run too.
 */
export type JobState = Pick<TaskState, 'phase' | 'reason'> & { readonly at: number };

export interface JobFailure {
  readonly task: string;
  readonly reason: string;
  readonly skipped: boolean;
}

/** Whether the run is done and how it went; the app's `RunOutcome` is how a run ended. */
export type RunVerdict = { readonly type: 'continue' } | { readonly type: 'done'; readonly exitCode: 0 | 1; readonly firstFailure: JobFailure | null };

/**
 * `--exit-on-complete`: the run is done when every job has ended (succeeded, failed or skipped)
 * and nothing is queued or in flight anywhere, so work fed to services by the jobs is finished
 * too. Exit code 0 only if every job succeeded. The first failure is the earliest; on a tie a
 * failure beats a skip (it is the cause). With no jobs at all the run never completes by itself.
 */
export function runVerdict(jobs: ReadonlyMap<string, JobState>, inFlightOrQueued: number): RunVerdict {
  if (jobs.size === 0 || inFlightOrQueued > 0) return { type: 'continue' };
  let first: (JobFailure & { at: number }) | null = null;
  for (const [task, job] of jobs) {
    if (job.phase === 'succeeded') continue;
    if (job.phase !== 'failed' && job.phase !== 'skipped') return { type: 'continue' };
    const candidate = { task, reason: job.reason ?? '', skipped: job.phase === 'skipped', at: job.at };
    if (first === null || candidate.at < first.at || (candidate.at === first.at && first.skipped && !candidate.skipped)) first = candidate;
  }
  if (first === null) return { type: 'done', exitCode: 0, firstFailure: null };
  return { type: 'done', exitCode: 1, firstFailure: { task: first.task, reason: first.reason, skipped: first.skipped } };
}
