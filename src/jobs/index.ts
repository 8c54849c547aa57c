export { decide, formatWaitingFor, type Decision, type TaskStatus, type UnmetDependency } from './decide.js';
export { dependentsOf, shutdownLevels, startLevels, type DependencyTask } from './graph.js';
export { isJob, runOutcome, type JobFailure, type JobState, type RunOutcome } from './outcome.js';
export { JobGraphError, type JobGraphErrorCode } from './errors.js';
