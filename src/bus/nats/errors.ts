import { OrchestratorError } from '../../util/errors.js';

/**
 * Why the NATS transport could not start. Messages name servers only by their redacted form
 * (`displayServers`) and never carry a secret; a run exits 2 on any of them.
 */
export class NatsConnectError extends OrchestratorError {
  constructor(servers: readonly string[], timeoutMs: number, reason: string, options?: { cause?: unknown }) {
    super('bus-unreachable', `cannot reach the NATS bus at ${servers.join(', ')} within ${timeoutMs} ms (${reason}); check [bus] url and that nats-server runs with JetStream (-js)`, options);
  }
}

/** The server refuses messages as large as `max_message_size` plus our envelope. */
export class NatsPayloadError extends OrchestratorError {
  constructor(servers: readonly string[], needed: number, maxPayload: number) {
    super('bus-max-payload', `max_message_size needs ${needed} bytes per message on the bus, but the NATS server at ${servers.join(', ')} accepts at most ${maxPayload} (max_payload); lower max_message_size or raise max_payload on the server`);
  }
}

/** Another live orchestrator already uses this instance name in the project. */
export class NatsDuplicateInstanceError extends OrchestratorError {
  constructor(project: string, instance: string) {
    super('bus-duplicate-instance', `instance "${instance}" is already live in bus project "${project}"; give this run another name with --instance or [bus] instance (a stopped instance's name is free again within 15 s)`);
  }
}

/** A task's messaging keys differ from what the project has registered for it. */
export class NatsTaskMismatchError extends OrchestratorError {
  readonly task: string;
  readonly keys: readonly string[];
  constructor(project: string, task: string, keys: readonly string[]) {
    super('bus-task-mismatch', `task "${task}" differs from the one registered in bus project "${project}" in ${keys.join(', ')}; every instance of a project must run the same messaging keys for a task (make tasks.toml the same, or use another --bus-project)`);
    this.task = task;
    this.keys = keys;
  }
}

/** JetStream refused to create or update a task's stream or consumer. */
export class NatsSetupError extends OrchestratorError {
  constructor(what: string, reason: string, options?: { cause?: unknown }) {
    super('bus-setup', `cannot set up ${what} on the NATS bus: ${reason}`, options);
  }
}
