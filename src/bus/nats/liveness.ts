import type { NatsConnection } from '@nats-io/transport-node';
import type { TransportEvent } from '../transport.js';
import { type ConnectionState, watchStatus } from './connection.js';
import type { NatsBusSettings } from './options.js';
import type { NatsTaskSource } from './task-source.js';

/** What the connection watch and the lease renewal need of the transport. */
export interface LivenessContext {
  readonly nc: NatsConnection;
  readonly settings: NatsBusSettings;
  /** The local tasks' sources, read at each tick (tasks come and go). */
  sources(): Iterable<[string, NatsTaskSource]>;
  emit(event: TransportEvent): void;
}

/**
 * Reports connection changes (`connected` now, then disconnected / reconnecting / reconnected,
 * naming servers as displayed) and, after an outage longer than a lease, every message this
 * instance held as `lease-lost`: the server may have handed it to another instance meanwhile.
 */
export function watchConnection(ctx: LivenessContext): void {
  const { settings } = ctx;
  const display = (server: string): string => settings.displayServers.find((d) => d.endsWith(server.replace(/^.*@/, ''))) ?? (settings.displayServers[0] ?? 'nats');
  let lostAt = 0;
  const onState = (state: ConnectionState, server: string): void => {
    ctx.emit({ type: 'connection', state, server });
    if (state === 'disconnected') lostAt = Date.now();
    if (state !== 'reconnected') return;
    for (const [, source] of ctx.sources()) source.reconnected();
    if (Date.now() - lostAt < settings.leaseMs) return;
    for (const [task, source] of ctx.sources()) for (const message of source.held()) ctx.emit({ type: 'lease-lost', task, message });
  };
  void watchStatus(ctx.nc, display, onState).catch(() => undefined);
  ctx.emit({ type: 'connection', state: 'connected', server: settings.displayServers[0] ?? 'nats' });
}

/**
 * Every lease/3: renews everything held (working()), so the lease never runs out while this
 * instance lives, and re-reads each task's server-side depth for stats. Returns the timer.
 */
export function startRenewal(ctx: LivenessContext): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const [, source] of ctx.sources()) {
      source.renew();
      source.refresh().catch(() => undefined);
    }
  }, Math.max(100, Math.floor(ctx.settings.leaseMs / 3)));
  timer.unref();
  return timer;
}
