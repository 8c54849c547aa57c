import { OrchestratorError } from '../../util/errors.js';

/** A pod or call names a task the dispatcher was never configured with (code `UNKNOWN_TASK`). */
export class UnknownTaskError extends OrchestratorError {
  readonly task: string;
  constructor(task: string, context: string) {
    super('UNKNOWN_TASK', `unknown task ${JSON.stringify(task)} (${context}); call configureTask first`);
    this.task = task;
  }
}

/** A pod-level operation for a pod the dispatcher does not know (code `UNKNOWN_POD`). */
export class UnknownPodError extends OrchestratorError {
  readonly pod: string;
  constructor(pod: string, context: string) {
    super('UNKNOWN_POD', `unknown pod ${JSON.stringify(pod)} (${context}); call podReady first`);
    this.pod = pod;
  }
}
