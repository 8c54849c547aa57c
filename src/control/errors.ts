import { OrchestratorError } from '../util/errors.js';

/** Another running orchestrator answers on the control socket (code `CONTROL_SOCKET_IN_USE`). */
export class ControlSocketInUseError extends OrchestratorError {
  constructor(readonly path: string) {
    super('CONTROL_SOCKET_IN_USE', `another orchestrator is already running here (control socket ${path} answers); stop it first ("orchestrator stop") or use another directory`);
  }
}

/** The control socket path exists but is not a socket; we never delete such a file (code `CONTROL_SOCKET_NOT_SOCKET`). */
export class ControlSocketBlockedError extends OrchestratorError {
  constructor(readonly path: string) {
    super('CONTROL_SOCKET_NOT_SOCKET', `${path} exists and is not a socket; remove it or move the config`);
  }
}

/** `--api` was given a bad or non-loopback address without `--api-allow-remote` (code `CONTROL_API_ADDRESS`). */
export class ControlAddressError extends OrchestratorError {
  constructor(message: string) {
    super('CONTROL_API_ADDRESS', message);
  }
}

/** A request the API refuses, with its HTTP status and a stable code. */
export class HttpError extends OrchestratorError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** The CLI could not reach a running instance, or it answered with an error (code from the API or `CONTROL_UNREACHABLE`). */
export class ControlClientError extends OrchestratorError {
  constructor(
    code: string,
    message: string,
    readonly status: number | null = null,
    readonly details: unknown = undefined,
  ) {
    super(code, message);
  }
}

/** `logs` names neither a task nor a pod with buffered output (code `TARGET_NOT_FOUND`). */
export class LogTargetNotFoundError extends OrchestratorError {
  declare readonly code: 'TARGET_NOT_FOUND';
  constructor(readonly target: string) {
    super('TARGET_NOT_FOUND', `no task or pod named ${JSON.stringify(target)}`);
  }
}

/** A request names a topic no task or pod subscribes to: nothing was published (code `NO_RESPONDERS`, like NATS). */
export class NoRespondersError extends OrchestratorError {
  declare readonly code: 'NO_RESPONDERS';
  constructor(topic: string) {
    super('NO_RESPONDERS', `no responders: no task subscribes to ${JSON.stringify(topic)}, so nothing was published; add it to a task's subscribe (mode = "round_robin" for replies)`);
  }
}

/** No reply arrived in time (code `REQUEST_TIMEOUT`); a later one is dropped. */
export class RequestTimeoutError extends OrchestratorError {
  declare readonly code: 'REQUEST_TIMEOUT';
  constructor(topic: string, afterMs: number) {
    super('REQUEST_TIMEOUT', `no reply on ${JSON.stringify(`${topic}.result`)} within ${afterMs} ms (a reply comes from a round_robin subscriber of ${JSON.stringify(topic)} answering on "<topic>.result")`);
  }
}

/** A publish from outside names a topic pods could never receive, or a reserved one (code `INVALID_TOPIC`). */
export class PublishTopicError extends OrchestratorError {
  declare readonly code: 'INVALID_TOPIC';
  constructor(topic: string, reason: string) {
    super('INVALID_TOPIC', `cannot publish on ${JSON.stringify(topic)}: ${reason}`);
  }
}

/** Retry or delete names a dead letter the task's list does not hold (code `DEAD_LETTER_NOT_FOUND`). */
export class DeadLetterNotFoundError extends OrchestratorError {
  declare readonly code: 'DEAD_LETTER_NOT_FOUND';
  constructor(task: string, id: string) {
    super('DEAD_LETTER_NOT_FOUND', `task ${task} has no dead letter ${JSON.stringify(id)} (already retried, deleted or forgotten; list them with GET /v1/tasks/${task}/dead)`);
  }
}
