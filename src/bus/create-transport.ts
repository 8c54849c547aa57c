import { messageIds } from './dispatcher/message-ids.js';
import { createMemoryTransport } from './memory/memory-transport.js';
import type { Transport, TransportDeps } from './transport.js';

import type { NatsBusSettings } from './nats/options.js';

export type { NatsAuth, NatsBusSettings, NatsTls } from './nats/options.js';

/**
 * The transport a run uses. `config` is the `[bus]` table of tasks.toml; null (no table) is the
 * in-process transport, the only one so far. A networked transport will be loaded here with a
 * dynamic `import()`, so its client library is read only by runs that use it.
 */
export function createTransport(config: NatsBusSettings | null, deps: Pick<TransportDeps, 'clock'> & Partial<TransportDeps>): Promise<Transport> {
  if (config !== null) return Promise.reject(new Error('the NATS transport is not in this build'));
  return Promise.resolve(createMemoryTransport({ clock: deps.clock, newId: deps.newId ?? messageIds() }));
}
