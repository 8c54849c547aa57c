import { describe, expect, it } from 'vitest';
import type { Pod } from '../pod/pod.js';
import type { Message } from '../protocol/types.js';
import { FakePod } from '../testing/fake-pod.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { createBus, type DispatchTaskSpec } from './bus.js';
import { handleSystemCommand } from './system-commands.js';
import { taskSpec } from './transport.case.js';

/** A real bus with FakePods; `command` runs a pod's `system.*` line through handleSystemCommand. */
function setup(tasks: readonly DispatchTaskSpec[]) {
  let id = 0;
  const { logger, warnings } = recordingLogger();
  const bus = createBus({ clock: new VirtualClock(1_000), logger, newId: () => `m${++id}` });
  for (const t of tasks) bus.configureTask(t);
  const published: Message[] = [];
  bus.tap(['>'], (m) => void published.push(m));
  const readied: string[] = [];
  const deps = { bus, logger, onReady: (pod: Pod) => void readied.push(pod.name) };
  return {
    bus,
    warnings,
    published,
    readied,
    ready(name: string, task: string): FakePod {
      const pod = new FakePod(name, task);
      bus.podReady(pod);
      return pod;
    },
    // The handler reads only the pod's name.
    command: (pod: string, topic: string, data: string) => handleSystemCommand({ name: pod } as Pod, topic, data, deps),
  };
}

describe('handleSystemCommand: a pod\'s system.* lines', () => {
  it('"system.subscribe" delivers to that pod only, whatever the task mode; unsubscribe stops it', () => {
    const h = setup([taskSpec('w', { mode: 'round_robin', subscribe: [] })]);
    const a = h.ready('w-1', 'w');
    const b = h.ready('w-2', 'w');
    h.command('w-1', 'system.subscribe', ' news.* ');
    h.bus.publish('news.a', '1', null);
    h.bus.publish('news.b', '2', null);
    expect(a.data()).toEqual(['1', '2']);
    expect(b.chunks).toEqual([]);
    expect(h.bus.stats().pods['w-1']).toMatchObject({ delivered: 2, inFlight: 0 }); // no acks
    h.command('w-1', 'system.unsubscribe', 'news.*');
    h.bus.publish('news.c', '3', null);
    expect(a.data()).toEqual(['1', '2']);
    expect(h.published.map((m) => m.topic)).toEqual(['news.a', 'news.b', 'news.c']); // commands are not published
    expect(h.warnings).toEqual([]);
  });

  it('a pod whose task already subscribes gets no second, pod-level copy', () => {
    const h = setup([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    h.command('log-1', 'system.subscribe', 'jobs');
    h.bus.publish('jobs', 'x', null);
    expect(a.data()).toEqual(['x']);
  });

  it('invalid patterns, unknown pods and unknown system commands are warnings, not publishes', () => {
    const h = setup([taskSpec('w')]);
    h.ready('w-1', 'w');
    h.command('w-1', 'system.subscribe', 'a..b');
    h.command('ghost', 'system.subscribe', 'x');
    h.command('w-1', 'system.reboot', '');
    expect(h.warnings).toHaveLength(3);
    expect(h.published).toEqual([]);
    expect(h.bus.publish('system.pods', '{}', null)).toBe(true); // the orchestrator may
    expect(h.published.map((m) => [m.topic, m.data])).toEqual([['system.pods', '{}']]);
  });

  it('"system.ready" reports the pod ready and publishes nothing', () => {
    const h = setup([taskSpec('w')]);
    h.command('w-1', 'system.ready', '');
    expect(h.readied).toEqual(['w-1']);
    expect(h.published).toEqual([]);
    expect(h.warnings).toEqual([]);
  });
});
