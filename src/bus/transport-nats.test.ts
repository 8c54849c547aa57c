import { afterAll, beforeAll } from 'vitest';
import { describeNats, startNats, type NatsServer } from '../../test/nats/server.js';
import { silentLogger } from '../util/logger.js';
import { createNatsTransport } from './nats/index.js';
import type { NatsTransport } from './nats/nats-transport.js';
import type { NatsBusSettings } from './nats/options.js';
import { describeTransport } from './transport.case.js';

// The shared suite against a real nats-server: one server for the file, a fresh project per case
// (projects are isolated by naming), a 1 s lease.
let server: NatsServer | null = null;
let project = 0;
let current: NatsTransport | null = null;

export function natsSettings(url: string, overrides: Partial<NatsBusSettings> = {}): NatsBusSettings {
  return {
    kind: 'nats',
    servers: [url],
    displayServers: [url],
    project: `conf${process.pid}-${++project}`,
    instance: 'a',
    leaseMs: 1_000,
    storage: 'memory',
    replicas: 1,
    publishWindow: 1024,
    instanceTtlMs: 60_000,
    connectTimeoutMs: 5_000,
    auth: { kind: 'none' },
    tls: null,
    ...overrides,
  };
}

describeNats('NATS transport', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeTransport({
    name: 'nats',
    traits: { inProcess: false },
    create: async (deps) => {
      current = (await createNatsTransport(natsSettings((server as NatsServer).url), { ...deps, logger: silentLogger, maxMessageSize: 64 * 1024 })) as NatsTransport;
      return current;
    },
    settle: () => (current as NatsTransport).settled(),
    lease: 1_000,
  });
});
