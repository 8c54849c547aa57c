import type { PodEvent } from '../controller/replica-set.js';
import { describeExit } from '../pod/exit.js';
import type { BusEvent } from '../bus/bus.js';
import type { Pod } from '../pod/pod.js';
import type { PodState } from '../pod/pod-state.js';
import type { Logger } from '../util/logger.js';
import { formatCount } from '../util/count.js';
import { formatDuration } from '../util/duration.js';
import { formatMs } from './event-log.js';
import type { StallChange } from './stall-detector.js';
import type { StallSpec } from './stall-watch.js';

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
export function podEventJson(pod: Pod, previous: PodState, at: number, instance: string | null = null): string {
  const state = pod.state;
  const event: Record<string, unknown> = { pod: pod.name, task: pod.spec.name, event: state.phase, from: previous.phase, at };
  // Pod names repeat across the instances sharing a NATS bus: the instance tells them apart.
  if (instance !== null) event.instance = instance;
  if (state.phase === 'running' || state.phase === 'stopping') event.pid = state.pid;
  if ('exit' in state && state.exit !== null) Object.assign(event, { code: state.exit.code, signal: state.exit.signal, error: state.exit.startError });
  if (state.phase === 'backoff') Object.assign(event, { code: state.lastExit.code, signal: state.lastExit.signal, restartInMs: state.delayMs });
  return JSON.stringify(event);
}

/**
 * Per-message events only: dead letters and ack timeouts. Drops and rejections can come by the
 * hundred thousand and are summarised by DropReport instead (see describeDrops).
 */
export function logBusEvent(logger: Logger, event: BusEvent): void {
  const topic = event.message.topic;
  switch (event.type) {
    case 'dead-lettered':
      logger.error({ task: event.task, topic, id: event.message.id, attempts: event.attempts }, `message ${event.message.id} on "${topic}" for ${event.task} dead-lettered to "${topic}.dead" after ${event.attempts} deliveries`);
      return;
    case 'ack-timeout':
      logger.warn({ pod: event.pod, topic, elapsedMs: event.elapsedMs }, `${event.pod} did not acknowledge "${topic}" within ack_timeout (${event.elapsedMs}ms); restarting it`);
      return;
    case 'dropped':
    case 'rejected':
      return;
  }
}

/**
 * The stall warning and its recovery line, e.g. `worker-1 has not read its stdin for 12s;
 * 10,000 messages wait in worker's queue (publishers to "jobs" are paused)`. Null: nothing to log.
 */
export function describeStall(change: StallChange, spec: StallSpec | undefined): string | null {
  const seconds = `${Math.floor(change.forMs / 1000)}s`;
  if (change.type === 'gone') return null;
  const waiting = `${formatCount(change.queued)} message${change.queued === 1 ? '' : 's'} wait${change.queued === 1 ? 's' : ''} in ${change.task}'s queue`;
  if (change.type === 'recovered') return `${change.pod} reads its stdin again after ${seconds}; ${waiting}`;
  return `${change.pod} has not read its stdin for ${seconds}; ${waiting}${spec === undefined ? '' : consequence(spec, change.queued)}`;
}

function consequence(spec: StallSpec, queued: number): string {
  if (queued < spec.maxQueue) return '';
  const topics = spec.subscribe.map((t) => `"${t}"`).join(', ');
  switch (spec.overflow) {
    case 'block':
      return ` (publishers to ${topics} are paused)`;
    case 'drop_oldest':
      return ' (the oldest are being dropped)';
    case 'reject':
      return ' (new ones are being rejected)';
  }
}
