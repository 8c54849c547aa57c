import type { BusNotice } from '../bus/bus.js';
import type { EventLog } from '../observe/event-log.js';
import type { Logger } from '../util/logger.js';
import { redactUrl } from '../util/redact.js';

export interface BusNoticeDeps {
  readonly logger: Logger;
  readonly events: Pick<EventLog, 'record'>;
}

/**
 * What the run does with a networked bus's notices: a connection change goes to `events` and the
 * log (a warning while the server is gone, since publishing pods are paused then); a lease that
 * ran out under a local pod is a warning, because another instance may now handle that message too.
 */
export function onBusNotice(deps: BusNoticeDeps): (notice: BusNotice) => void {
  return (notice) => {
    if (notice.type === 'connection') {
      // The transport already names servers redacted; redacting again costs nothing and keeps it so.
      const server = redactUrl(notice.server);
      const recorded = deps.events.record({ type: 'bus-connection', state: notice.state, server });
      if (notice.state === 'disconnected') deps.logger.warn({ server }, recorded.message);
      else deps.logger.info({ server }, recorded.message);
      return;
    }
    const { message } = notice;
    deps.logger.warn(
      { task: notice.task, id: message.id },
      `${notice.task}: the lease of message ${message.id} on "${message.topic}" ran out while a pod held it (the instance stalled or lost the server); another instance may handle it too`,
    );
  };
}
