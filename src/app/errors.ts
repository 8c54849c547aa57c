import { OrchestratorError } from '../util/errors.js';

/** A control request names a task that is not configured (code `TASK_NOT_FOUND`). */
export class TaskNotFoundError extends OrchestratorError {
  declare readonly code: 'TASK_NOT_FOUND';
  constructor(
    readonly task: string,
    known: readonly string[],
  ) {
    super('TASK_NOT_FOUND', `no task named ${JSON.stringify(task)}; tasks: ${known.join(', ') || '(none)'}`);
  }
}

/** A control request names no current pod (code `POD_NOT_FOUND`). */
export class PodNotFoundError extends OrchestratorError {
  declare readonly code: 'POD_NOT_FOUND';
  constructor(
    readonly pod: string,
    known: readonly string[],
  ) {
    super('POD_NOT_FOUND', `no pod named ${JSON.stringify(pod)}; pods: ${known.join(', ') || '(none)'}`);
  }
}

/** The pod exists but has no running process to signal (code `POD_NOT_RUNNING`). */
export class PodNotRunningError extends OrchestratorError {
  declare readonly code: 'POD_NOT_RUNNING';
  constructor(
    readonly pod: string,
    phase: string,
  ) {
    super('POD_NOT_RUNNING', `pod ${pod} is ${phase}, not running; nothing to kill`);
  }
}

/** The run is shutting down; it takes no more changes (code `STOPPING`). */
export class StoppingError extends OrchestratorError {
  declare readonly code: 'STOPPING';
  constructor() {
    super('STOPPING', 'the orchestrator is stopping');
  }
}

/**
 * `scale` named an autoscaled task (code `TASK_AUTOSCALED`): its pod count follows its queue, so a
 * fixed count would be undone at the next look. Its bounds are config: edit them and reload.
 */
export class AutoscaledTaskError extends OrchestratorError {
  declare readonly code: 'TASK_AUTOSCALED';
  constructor(
    readonly task: string,
    bounds: { readonly min: number; readonly max: number },
  ) {
    super(
      'TASK_AUTOSCALED',
      `${task} is autoscaled (min ${bounds.min}, max ${bounds.max}): its pod count follows its queue; change autoscale = { min, max } in the config and run "orchestrator apply" (or send SIGHUP)`,
    );
  }
}
