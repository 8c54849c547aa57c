import type { JetStreamManager } from '@nats-io/jetstream';
import type { Message } from '../../protocol/types.js';
import type { Logger } from '../../util/logger.js';
import { LatestAnswer } from '../routing/index.js';
import { readLatest, readLatestOf } from './latest.js';
import type { ProjectNames } from './names.js';

/** Reads of the project's latest stream for a pod (replay_latest, system.latest). */
export interface LatestReadDeps {
  readonly jsm: JetStreamManager;
  readonly names: ProjectNames;
  readonly logger: Logger;
  newId(): string;
  now(): number;
}

/**
 * The latest message of every topic matching `patterns`, minus those still waiting in the task's
 * buffer (`waiting`: ids), which the pod gets anyway.
 */
export async function latestToReplay(deps: LatestReadDeps, patterns: readonly string[], waiting: ReadonlySet<string>): Promise<Message[]> {
  const latest = await readLatest(deps.jsm, deps.names, patterns);
  return latest.filter((message) => !waiting.has(message.id));
}

/**
 * The answer to a pod's `system.latest` for `topic`: the message, or "none" when there is none
 * or the bus could not read it (with a warning: the pod waits for an answer, silence would hang it).
 */
export async function latestAnswer(deps: LatestReadDeps, pod: string, topic: string): Promise<LatestAnswer> {
  const none = (): LatestAnswer => new LatestAnswer({ id: deps.newId(), topic, data: '', from: null, publishedAt: deps.now() }, false);
  try {
    const message = await readLatestOf(deps.jsm, deps.names, topic);
    return message === null ? none() : new LatestAnswer(message, true);
  } catch (error) {
    deps.logger.warn({ err: error, pod, topic }, `${pod}: system.latest ${JSON.stringify(topic)} answered "none": the bus could not read it (${error instanceof Error ? error.message : String(error)})`);
    return none();
  }
}
