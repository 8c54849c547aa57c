import { silentLogger, type Logger } from '../util/logger.js';
import { messageIds } from './dispatcher/message-ids.js';
import { createMemoryTransport } from './memory/memory-transport.js';
import type { NatsBusSettings } from './nats/options.js';
import type { Transport, TransportDeps } from './transport.js';
import type { DispatchTaskSpec } from './types.js';

export type { NatsBusSettings, NatsAuth, NatsTls } from './nats/options.js';

export interface CreateTransportDeps extends Pick<TransportDeps, 'clock'>, Partial<Pick<TransportDeps, 'newId'>> {
  /** Needed by the NATS transport (connection and setup messages). */
  readonly logger?: Logger;
  /** NATS: the run's max_message_size (checked against the server's max_payload). */
  readonly maxMessageSize?: number;
  /** NATS: the tasks the run will configure (checked against the project's registered keys). */
  readonly tasks?: readonly DispatchTaskSpec[];
}

/**
 * The transport a run uses: null (no `[bus]` url) is the in-process transport; NATS settings load
 * the JetStream transport with a dynamic `import()`, so the client library is read only by runs
 * that use it. Rejects with the NATS transport's named errors (code `bus-*`).
 */
export async function createTransport(settings: NatsBusSettings | null, deps: CreateTransportDeps): Promise<Transport> {
  const newId = deps.newId ?? messageIds();
  if (settings === null) return createMemoryTransport({ clock: deps.clock, newId });
  const { createNatsTransport } = await import('./nats/index.js');
  return createNatsTransport(settings, {
    clock: deps.clock,
    newId,
    logger: deps.logger ?? silentLogger,
    ...(deps.maxMessageSize === undefined ? {} : { maxMessageSize: deps.maxMessageSize }),
    ...(deps.tasks === undefined ? {} : { tasks: deps.tasks }),
  });
}
