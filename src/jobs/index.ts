export { decide, formatWaitingFor, type Decision, type UnmetDependency } from './decide.js';
export { dependentsOf, shutdownLevels, startLevels, type DependencyTask } from './graph.js';
export { isJob, runVerdict, type JobFailure, type JobState, type RunVerdict } from './outcome.js';
export { deriveTaskState, type TaskFacts, type TaskPhase, type TaskState } from './task-phase.js';
export { JobGraphError, type JobGraphErrorCode } from './errors.js';
