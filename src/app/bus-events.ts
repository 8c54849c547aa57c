import type { BusEvent } from '../bus/bus.js';
import type { EventLog } from '../observe/event-log.js';
import { logBusEvent } from '../observe/lifecycle-log.js';
import type { QueueSignals } from '../observe/queue-signals.js';
import type { Logger } from '../util/logger.js';

export interface BusEventDeps {
  readonly logger: Logger;
  readonly signals: Pick<QueueSignals, 'busEvent'>;
  readonly events: Pick<EventLog, 'record'>;
  /** A pod missed its ack_timeout: kill it (its policy restarts it, its messages are redelivered). */
  killPod(name: string): void;
}

/** What the run does with each bus event: log it, count drops, record dead letters, kill a pod that timed out. */
export function onBusEvent(deps: BusEventDeps): (event: BusEvent) => void {
  return (event) => {
    logBusEvent(deps.logger, event);
    deps.signals.busEvent(event);
    if (event.type === 'dead-lettered') deps.events.record({ type: 'dead-lettered', task: event.task, topic: event.message.topic, id: event.message.id, attempts: event.attempts });
    else if (event.type === 'ack-timeout') deps.killPod(event.pod);
  };
}
