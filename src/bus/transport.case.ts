/**
 * The conformance suite every Transport must pass (run by one transport-*.test.ts per
 * implementation, like delivery-policy.case.ts for policies). Not a test file itself.
 *
 * Each case drives a real bus (createBus: the one dispatcher over the transport under test) with
 * FakePods on a virtual clock, and awaits `settle()` between a step and the assertions on it, so
 * a transport that delivers asynchronously passes too. Guarantees only the in-process transport
 * gives (synchronous re-entrancy, exact timer steps, shared buffers) are tested next to it.
 */
import { afterEach, describe, it } from 'vitest';
import type { Message } from '../protocol/types.js';
import { FakePod } from '../testing/fake-pod.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { createBus, type Bus, type BusEvent } from './bus.js';
import type { Transport, TransportDeps } from './transport.js';
import type { DispatchTaskSpec } from './types.js';
import { broadcastCases } from './transport-cases/broadcast.case.js';
import { overflowCases } from './transport-cases/overflow.case.js';
import { redeliveryCases } from './transport-cases/redelivery.case.js';
import { replyCases } from './transport-cases/replies.case.js';
import { roundRobinCases } from './transport-cases/round-robin.case.js';
import { subscriptionCases } from './transport-cases/subscriptions.case.js';

export interface TransportCase {
  readonly name: string;
  /** A fresh, unstarted transport; the suite starts and closes it. */
  create(deps: TransportDeps): Transport | Promise<Transport>;
  /** Resolves once what the transport does asynchronously has happened (memory: nothing to wait for). */
  settle(): Promise<void>;
  /** Ack timeout of the cases that let one expire (ms, on the virtual clock; NATS: its lease). */
  readonly lease: number;
  /** Default: in process. */
  readonly traits?: TransportTraits;
}

/** What the cases may rely on beyond the Transport contract. */
export interface TransportTraits {
  /**
   * The queues live in this process: a publish knows at once whether a queue is full, overflow
   * reports every drop, `max_queue`/`max_queue_bytes` count exactly what waits (topic + data),
   * and the head of every queue is local. A server-side queue (NATS) gives none of these exactly.
   */
  readonly inProcess: boolean;
}

/**
 * `it` for a case only an in-process transport can pass; on others it is listed as skipped with
 * `reason` (what the transport cannot keep, as docs state it), never silently left out.
 */
export function inProcessOnly(setup: Setup, reason: string): (name: string, fn: () => Promise<void>) => void {
  return setup.traits.inProcess ? (name, fn) => it(name, fn) : (name, fn) => it.skip(`${name} [in-process only: ${reason}]`, fn);
}

export interface SuiteHarness {
  readonly bus: Bus;
  readonly transport: Transport;
  /** Starts at 1000 ms, so a zero timestamp never looks like "now". */
  readonly clock: VirtualClock;
  readonly events: BusEvent[];
  readonly warnings: object[];
  readonly lease: number;
  /** Creates a FakePod and calls podReady with it. */
  ready(name: string, task: string): FakePod;
  /** Every message published on a topic matching `patterns` from now on. */
  tap(patterns: readonly string[]): Message[];
  settle(): Promise<void>;
}

/** Builds a started bus over a fresh transport of the case, with `tasks` configured. */
export type Setup = ((tasks?: readonly DispatchTaskSpec[]) => Promise<SuiteHarness>) & { readonly traits: TransportTraits };

export function taskSpec(name: string, overrides: Partial<DispatchTaskSpec> = {}): DispatchTaskSpec {
  return {
    name,
    subscribe: ['jobs'],
    mode: 'broadcast',
    stdin: 'framed',
    concurrency: 1,
    ackTimeoutMs: null,
    maxDeliveries: 5,
    maxQueue: 1000,
    maxQueueBytes: 2 * 1024 * 1024,
    overflow: 'block',
    replayLatest: false,
    ...overrides,
  };
}

export function describeTransport(c: TransportCase): void {
  describe(`Transport conformance: ${c.name}`, () => {
    const open: Bus[] = [];
    afterEach(async () => {
      for (const bus of open.splice(0)) await bus.close();
    });

    const build = async (tasks: readonly DispatchTaskSpec[] = []): Promise<SuiteHarness> => {
      const clock = new VirtualClock(1_000);
      let id = 0;
      const transport = await c.create({ clock, newId: () => `m${++id}` });
      const { logger, warnings } = recordingLogger();
      const bus = createBus({ transport, clock, logger });
      open.push(bus);
      await bus.start();
      const events: BusEvent[] = [];
      bus.onEvent((e) => void events.push(e));
      for (const t of tasks) bus.configureTask(t);
      await c.settle();
      return {
        bus,
        transport,
        clock,
        events,
        warnings,
        lease: c.lease,
        ready(name, task) {
          const pod = new FakePod(name, task);
          bus.podReady(pod);
          return pod;
        },
        tap(patterns) {
          const seen: Message[] = [];
          bus.tap(patterns, (m) => void seen.push(m));
          return seen;
        },
        settle: () => c.settle(),
      };
    };
    const setup: Setup = Object.assign(build, { traits: c.traits ?? { inProcess: true } });

    roundRobinCases(setup);
    broadcastCases(setup);
    redeliveryCases(setup);
    overflowCases(setup);
    subscriptionCases(setup);
    replyCases(setup);
  });
}
