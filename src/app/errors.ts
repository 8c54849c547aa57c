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

/** The run is shutting down; it takes no more changes (code `STOPPING`). */
export class StoppingError extends OrchestratorError {
  declare readonly code: 'STOPPING';
  constructor() {
    super('STOPPING', 'the orchestrator is stopping');
  }
}
