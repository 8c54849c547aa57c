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

/** `logs` names neither a task nor a pod with buffered output (code `TARGET_NOT_FOUND`). */
export class LogTargetNotFoundError extends OrchestratorError {
  declare readonly code: 'TARGET_NOT_FOUND';
  constructor(readonly target: string) {
    super('TARGET_NOT_FOUND', `no task or pod named ${JSON.stringify(target)}`);
  }
}

/** A publish from outside names a topic pods could never receive, or a reserved one (code `INVALID_TOPIC`). */
export class PublishTopicError extends OrchestratorError {
  declare readonly code: 'INVALID_TOPIC';
  constructor(topic: string, reason: string) {
    super('INVALID_TOPIC', `cannot publish on ${JSON.stringify(topic)}: ${reason}`);
  }
}

/** The run is shutting down; it takes no more changes (code `STOPPING`). */
export class StoppingError extends OrchestratorError {
  declare readonly code: 'STOPPING';
  constructor() {
    super('STOPPING', 'the orchestrator is stopping');
  }
}
