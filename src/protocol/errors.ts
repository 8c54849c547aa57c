import { OrchestratorError } from '../util/errors.js';

/** A topic that cannot be published: empty, whitespace, a wildcard token or an empty token. */
export class InvalidTopicError extends OrchestratorError {
  readonly topic: string;
  constructor(topic: string, reason: string) {
    super('INVALID_TOPIC', `invalid topic ${JSON.stringify(topic)}: ${reason}`);
    this.topic = topic;
  }
}

/** Data that the pod-to-orchestrator line protocol cannot carry byte-exactly. */
export class UnencodableDataError extends OrchestratorError {
  constructor(topic: string, reason: string) {
    super('UNENCODABLE_DATA', `cannot publish on ${JSON.stringify(topic)}: ${reason}`);
  }
}

/** Bytes on a pod's stdin that do not follow the configured stdin format. */
export class FrameDecodeError extends OrchestratorError {
  readonly line: string;
  constructor(reason: string, line: string, options?: { cause?: unknown }) {
    super('FRAME_DECODE', `${reason}: ${JSON.stringify(line.slice(0, 200))}`, options);
    this.line = line;
  }
}
