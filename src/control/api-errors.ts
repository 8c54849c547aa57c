import { InvalidTopicPatternError } from '../bus/errors.js';
import { PodNotFoundError, PodNotRunningError, StoppingError, TaskNotFoundError } from '../app/errors.js';
import { DeadLetterNotFoundError, LogTargetNotFoundError, NoRespondersError, PublishTopicError, RequestTimeoutError } from './errors.js';

/** The errors a ControlTarget throws on purpose; each class declares its `code` as a literal. */
export type ApiError =
  | TaskNotFoundError
  | LogTargetNotFoundError
  | PublishTopicError
  | InvalidTopicPatternError
  | StoppingError
  | NoRespondersError
  | RequestTimeoutError
  | PodNotFoundError
  | PodNotRunningError
  | DeadLetterNotFoundError;

export type ApiErrorCode = ApiError['code'];

const API_ERROR_CLASSES = [
  TaskNotFoundError,
  LogTargetNotFoundError,
  PublishTopicError,
  InvalidTopicPatternError,
  StoppingError,
  NoRespondersError,
  RequestTimeoutError,
  PodNotFoundError,
  PodNotRunningError,
  DeadLetterNotFoundError,
] as const;

export function isApiError(error: unknown): error is ApiError {
  return API_ERROR_CLASSES.some((c) => error instanceof c);
}

/**
 * HTTP status per API error code. Typed as a full Record, so a new ApiError code without a status
 * fails to compile; the status stays here rather than on the error classes, which know no HTTP.
 */
export const STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  TASK_NOT_FOUND: 404,
  TARGET_NOT_FOUND: 404,
  INVALID_TOPIC: 400,
  INVALID_TOPIC_PATTERN: 400,
  STOPPING: 409,
  NO_RESPONDERS: 503,
  REQUEST_TIMEOUT: 504,
  POD_NOT_FOUND: 404,
  POD_NOT_RUNNING: 409,
  DEAD_LETTER_NOT_FOUND: 404,
};
