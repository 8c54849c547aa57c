import { OrchestratorError } from '../../util/errors.js';

/** A subscription pattern that can never match anything (code `INVALID_TOPIC_PATTERN`). */
export class InvalidTopicPatternError extends OrchestratorError {
  declare readonly code: 'INVALID_TOPIC_PATTERN';
  readonly pattern: string;
  constructor(pattern: string, reason: string) {
    super('INVALID_TOPIC_PATTERN', `invalid topic pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.pattern = pattern;
  }
}
