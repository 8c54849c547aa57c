/**
 * Instances of one project for the multi-instance tests: each is a real NATS transport under a
 * real Bus (silent logger, system clock, ids `<instance>-m<n>`), its bus events and notices
 * recorded, its tasks configured and settled before it is handed out. Every instance started is
 * closed by `closeAll()` (afterEach).
 */
import { FakePod } from '../../testing/fake-pod.js';
import { systemClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { createBus, type Bus, type BusEvent, type BusNotice } from '../bus.js';
import type { DispatchTaskSpec } from '../types.js';
import { createNatsTransport } from './index.js';
import type { NatsTransport } from './nats-transport.js';
import type { NatsBusSettings } from './options.js';

export interface Instance {
  readonly bus: Bus;
  readonly transport: NatsTransport;
  readonly events: BusEvent[];
  readonly notices: BusNotice[];
  /** Creates a FakePod and makes it ready. */
  ready(name: string, task: string): FakePod;
}

/** Settings of one instance: lease 1 s, memory storage, one replica, no credentials. */
export function natsSettings(url: string, project: string, instance: string, over: Partial<NatsBusSettings> = {}): NatsBusSettings {
  return {
    kind: 'nats', servers: [url], displayServers: [url], project, instance, leaseMs: 1_000, storage: 'memory', replicas: 1,
    publishWindow: 1024, instanceTtlMs: 60_000, connectTimeoutMs: 5_000, auth: { kind: 'none' }, tls: null, ...over,
  };
}

export class TestInstances {
  private readonly open: Instance[] = [];
  private projects = 0;

  /** `url` is read when an instance starts (the shared server starts in beforeAll). */
  constructor(
    private readonly prefix: string,
    private readonly url: () => string,
  ) {}

  /** A project name no other case (or test file run at the same time) uses. */
  project(): string {
    return `${this.prefix}${process.pid}-${++this.projects}`;
  }

  async start(project: string, name: string, tasks: readonly DispatchTaskSpec[], over: Partial<NatsBusSettings> = {}, url = this.url()): Promise<Instance> {
    let id = 0;
    const transport = (await createNatsTransport(natsSettings(url, project, name, over), { clock: systemClock, newId: () => `${name}-m${++id}`, logger: silentLogger, maxMessageSize: 64 * 1024 })) as NatsTransport;
    const bus = createBus({ transport, clock: systemClock, logger: silentLogger });
    const events: BusEvent[] = [];
    const notices: BusNotice[] = [];
    bus.onEvent((e) => void events.push(e));
    bus.onNotice((n) => void notices.push(n));
    await bus.start();
    for (const t of tasks) bus.configureTask(t);
    await transport.settled();
    const made: Instance = {
      bus, transport, events, notices,
      ready(podName, task) {
        const pod = new FakePod(podName, task);
        bus.podReady(pod);
        return pod;
      },
    };
    this.open.push(made);
    return made;
  }

  async closeAll(): Promise<void> {
    for (const i of this.open.splice(0)) await i.bus.close().catch(() => undefined);
  }
}
