/**
 * Test support (not a test file): a TopicDispatcher over the in-process transport, with FakePods on
 * the virtual clock, for the memory-only tests (the transport suite is transport.case.ts).
 */
import { MemoryTransport } from '../memory/memory-transport.js';
import { FakePod } from '../../testing/fake-pod.js';
import { VirtualClock } from '../../testing/virtual-clock.js';
import type { DispatcherDeps } from './deps.js';
import { TopicDispatcher } from './topic-dispatcher.js';
import type { DispatcherEvent, DispatchTaskSpec } from '../types.js';

export { FakePod };

export const noopLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

// One task spec for every bus test: the transport suite's.
export { taskSpec } from '../transport.case.js';

export interface Harness {
  readonly transport: MemoryTransport;
  readonly dispatcher: TopicDispatcher;
  /** Starts at 1000 ms, so a zero timestamp never looks like "now". */
  readonly clock: VirtualClock;
  readonly events: DispatcherEvent[];
  readonly warnings: object[];
  /** Creates a FakePod and calls podReady with it. */
  ready(name: string, task: string): FakePod;
}

export function harness(tasks: readonly DispatchTaskSpec[] = []): Harness {
  const clock = new VirtualClock(1_000);
  const events: DispatcherEvent[] = [];
  const warnings: object[] = [];
  let id = 0;
  const transport = new MemoryTransport({ clock, newId: () => `m${++id}` });
  const deps: DispatcherDeps = {
    clock,
    logger: { ...noopLogger, warn: (first: object | string) => void warnings.push(first as object) },
    onEvent: (e) => void events.push(e),
  };
  const dispatcher = new TopicDispatcher(transport, deps);
  for (const t of tasks) dispatcher.configureTask(t);
  return {
    transport,
    dispatcher,
    clock,
    events,
    warnings,
    ready(name, task) {
      const pod = new FakePod(name, task);
      dispatcher.podReady(pod);
      return pod;
    },
  };
}
