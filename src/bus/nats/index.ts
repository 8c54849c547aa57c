/**
 * The NATS JetStream transport, loaded with `await import()` by create-transport.ts only when a
 * run has a bus URL: the only module tree that imports the NATS client.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../util/logger.js';
import type { Transport, TransportDeps } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import { openConnection } from './connection.js';
import { NatsConnectError, NatsPayloadError } from './errors.js';
import { ENVELOPE_OVERHEAD, projectNames } from './names.js';
import { NatsTransport } from './nats-transport.js';
import type { NatsBusSettings } from './options.js';
import { LIVE_TTL_MS, Registry } from './registry.js';
import { ensureStream, latestStreamConfig } from './streams.js';

export { NatsConnectError, NatsDuplicateInstanceError, NatsPayloadError, NatsSetupError, NatsTaskMismatchError } from './errors.js';
export type { NatsBusSettings } from './options.js';

export interface NatsTransportDeps extends TransportDeps {
  readonly logger: Logger;
  /** The run's largest max_message_size: with our envelope it must fit the server's max_payload (unchecked when absent). */
  readonly maxMessageSize?: number;
  /** The tasks the run will configure: checked against the project's registered messaging keys before anything starts. */
  readonly tasks?: readonly DispatchTaskSpec[];
}


/**
 * Connects, checks the server can carry our messages, claims the instance name, verifies the
 * tasks against the project, and ensures the project's buckets and latest stream. Rejects with
 * NatsConnectError (`bus-unreachable`), NatsPayloadError (`bus-max-payload`),
 * NatsDuplicateInstanceError (`bus-duplicate-instance`) or NatsTaskMismatchError
 * (`bus-task-mismatch`); nothing is left connected when it rejects.
 */
export async function createNatsTransport(settings: NatsBusSettings, deps: NatsTransportDeps): Promise<Transport> {
  const nc = await openConnection(settings);
  try {
    return await setUp(nc, settings, deps);
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw error;
  }
}

async function setUp(nc: NatsConnection, settings: NatsBusSettings, deps: NatsTransportDeps): Promise<Transport> {
  const maxPayload = nc.info?.max_payload ?? 0;
  const maxMessageSize = deps.maxMessageSize ?? Math.max(0, maxPayload - ENVELOPE_OVERHEAD);
  if (maxPayload > 0 && maxMessageSize + ENVELOPE_OVERHEAD > maxPayload) throw new NatsPayloadError(settings.displayServers, maxMessageSize + ENVELOPE_OVERHEAD, maxPayload);
  let jsm;
  try {
    jsm = await jetstreamManager(nc, { timeout: settings.connectTimeoutMs });
  } catch (error) {
    throw new NatsConnectError(settings.displayServers, settings.connectTimeoutMs, 'JetStream is not enabled on the server (start nats-server with -js)', { cause: error });
  }
  const js = jetstream(nc);
  const names = projectNames(settings.project, settings.instance);
  const kvm = new Kvm(js);
  const storage = settings.storage;
  const state = await kvm.create(names.stateBucket, { history: 1, replicas: settings.replicas, storage } as never);
  const live = await kvm.create(names.liveBucket, { history: 1, replicas: settings.replicas, storage, ttl: LIVE_TTL_MS } as never);
  const registry = new Registry(state, live, names, settings.project, settings.instance, deps.logger);
  for (const spec of deps.tasks ?? []) await registry.verify(spec);
  await registry.claimInstance();
  await ensureStream(jsm, latestStreamConfig(names, settings, maxMessageSize));
  return new NatsTransport({ settings, nc, js, jsm, names, registry, deps, maxMessageSize });
}
