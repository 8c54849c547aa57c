import type { ReplicaSetController } from '../controller/replica-set.js';
import { describeExit } from '../controller/restart-policy.js';
import { isJob, type JobState, type TaskStatus } from './index.js';

/**
 * What a released task looks like to `depends_on`: pending until one of its pods has been spawned,
 * then running (ready once every desired replica is ready), or, for a job whose pods all finished,
 * completed or failed.
 */
export function taskStatus(controller: ReplicaSetController, readyPods: number, everRan: boolean): TaskStatus {
  const spec = controller.taskSpec;
  if (isJob(spec) && (controller.replicas === 0 || (controller.list().length > 0 && controller.settled()))) {
    const failed = controller.failedPods()[0];
    if (failed === undefined) return { state: 'completed' };
    return { state: 'failed', reason: `${failed.name} ${failed.lastExit === null ? 'failed' : describeExit(failed.lastExit)}`, started: true };
  }
  // Released but no process spawned yet: "started" does not hold until one has.
  if (!everRan && controller.replicas > 0) return { state: 'pending' };
  return { state: 'running', ready: readyPods >= controller.replicas };
}

/** A job's standing for the run outcome; `at` orders failures so the first can be named. */
export function jobState(status: TaskStatus, at: number): JobState {
  switch (status.state) {
    case 'pending':
      return { state: 'pending' };
    case 'running':
      return { state: 'running' };
    case 'completed':
      return { state: 'succeeded' };
    case 'failed':
      return { state: 'failed', reason: status.reason, at };
    case 'skipped':
      return { state: 'skipped', reason: status.reason, at };
  }
}
