import { OrchestratorError } from '../util/errors.js';

export type JobGraphErrorCode = 'DEPENDENCY_CYCLE' | 'UNKNOWN_DEPENDENCY';

/**
 * A dependency graph that loadConfig would have rejected. Raised only when tasks are built by hand
 * (tests, programmatic use): a validated config never has cycles or unknown names.
 */
export class JobGraphError extends OrchestratorError {
  declare readonly code: JobGraphErrorCode;

  constructor(code: JobGraphErrorCode, message: string) {
    super(code, message);
  }
}
