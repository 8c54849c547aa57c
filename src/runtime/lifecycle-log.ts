import type { PodEvent } from '../controller/replica-set.js';
import { describeExit } from '../controller/restart-policy.js';
import type { DispatcherEvent } from '../dispatcher/index.js';
import type { Pod } from '../pod/pod.js';
import type { PodState } from '../pod/pod-state.js';
import type { Logger } from '../util/logger.js';
import { formatDuration } from '../config/duration.js';
import { formatMs } from './event-log.js';

/**
 * The orchestrator's own log lines about pods and messages, in one place so their wording stays
 * consistent. Pod names go into the record's fields, not into a child logger per event.
 */
export function logPodExit(logger: Logger, event: Extract<PodEvent, { type: 'exited' }>): void {
  const { pod, exit, restartInMs } = event;
  const what = describeExit(exit);
  if (restartInMs === null) {
    const level = pod.state.phase === 'succeeded' || exit.code === 0 ? 'info' : 'warn';
    const limit = event.gaveUpAfter === undefined ? '' : ` (max_restarts ${event.gaveUpAfter} reached)`;
    logger[level]({ pod: pod.name, exit }, `${pod.name}: ${what}${limit}`);
  } else {
    const when = restartInMs === 0 ? 'restarting now' : `restarting in ${formatMs(restartInMs)}`;
    logger.warn({ pod: pod.name, exit, restartInMs }, `${pod.name}: ${what}; ${when}`);
  }
}

export function logPodTransition(logger: Logger, pod: Pod, previous: PodState): void {
  const state = pod.state;
  if (state.phase === 'running') logger.info({ pod: pod.name, pid: state.pid }, `${pod.name} started (pid ${state.pid})`);
  else if (state.phase === 'stopping') logger.info({ pod: pod.name, pid: state.pid }, `${pod.name} stopping (${pod.spec.stopSignal}, grace ${formatDuration(pod.spec.gracePeriodMs)})`);
  else if (state.phase === 'stopped' && (previous.phase === 'stopping' || previous.phase === 'running')) {
    logger.info({ pod: pod.name, exit: state.exit }, `${pod.name} stopped${state.exit === null ? '' : ` (${describeExit(state.exit)})`}`);
  }
}

/** The `system.pods` message for a transition: one JSON object (see docs/protocol.md). */
export function podEventJson(pod: Pod, previous: PodState, at: number): string {
  const state = pod.state;
  const event: Record<string, unknown> = { pod: pod.name, task: pod.spec.name, event: state.phase, from: previous.phase, at };
  if (state.phase === 'running' || state.phase === 'stopping') event.pid = state.pid;
  if ('exit' in state && state.exit !== null) Object.assign(event, { code: state.exit.code, signal: state.exit.signal, error: state.exit.startError });
  if (state.phase === 'backoff') Object.assign(event, { code: state.lastExit.code, signal: state.lastExit.signal, restartInMs: state.delayMs });
  return JSON.stringify(event);
}

export function logDispatcherEvent(logger: Logger, event: DispatcherEvent): void {
  const topic = event.message.topic;
  switch (event.type) {
    case 'dead-lettered':
      logger.error({ task: event.task, topic, id: event.message.id, attempts: event.attempts }, `message ${event.message.id} on "${topic}" for ${event.task} dead-lettered to "${topic}.dead" after ${event.attempts} deliveries`);
      return;
    case 'ack-timeout':
      logger.warn({ pod: event.pod, topic, elapsedMs: event.elapsedMs }, `${event.pod} did not acknowledge "${topic}" within ack_timeout (${event.elapsedMs}ms); restarting it`);
      return;
    case 'dropped':
      logger.warn({ task: event.task, pod: event.pod, topic, reason: event.reason }, `message on "${topic}" for ${event.task} dropped (${event.reason})`);
      return;
    case 'rejected':
      logger.warn({ task: event.task, pod: event.pod, topic }, `message on "${topic}" for ${event.task} rejected: queue full (overflow = "reject")`);
      return;
  }
}
