import { describe, expect, it } from 'vitest';
import type { BusStats } from '../bus/bus.js';
import type { StallChange } from './stall-detector.js';
import { StallWatch, type StallSpec } from './stall-watch.js';
import { VirtualClock } from '../testing/virtual-clock.js';

function setup(stallTimeoutMs: number | null) {
  const clock = new VirtualClock();
  const changes: StallChange[] = [];
  const restarts: string[] = [];
  let writable = false;
  const spec: StallSpec = { name: 'w', stallTimeoutMs, subscribe: ['jobs'], overflow: 'block', maxQueue: 10 };
  const stats = (): BusStats => ({
    tasks: { w: { queued: 10, inFlight: 0, oldestQueuedAt: 0, delivered: 5, acked: 0, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 } },
    pods: { 'w-0': { task: 'w', inFlight: 0, delivered: 5, acked: 0, queued: 0, writable } },
  });
  const watch = new StallWatch({ clock, stats, spec: () => spec, changed: (c) => changes.push(c), restart: (pod, reason) => restarts.push(`${pod}: ${reason}`) });
  return { clock, changes, restarts, watch, setWritable: (w: boolean) => (writable = w) };
}

describe('StallWatch', () => {
  it('checks once a second while started, reports a stall after 5 s and its recovery, and never restarts without stall_timeout', () => {
    const { clock, changes, restarts, watch, setWritable } = setup(null);
    watch.start();
    clock.advance(5000);
    expect(changes).toEqual([]);
    clock.advance(1000);
    expect(changes).toEqual([{ type: 'stalled', pod: 'w-0', task: 'w', forMs: 5000, queued: 10 }]);
    expect(watch.stalledSince('w-0')).toBe(1000);
    expect(watch.stalledCount('w')).toBe(1);
    clock.advance(60_000);
    expect(changes).toHaveLength(1);
    expect(restarts).toEqual([]);
    setWritable(true);
    clock.advance(1000);
    expect(changes.at(-1)).toMatchObject({ type: 'recovered', forMs: 66_000 });
    watch.stop();
    expect(clock.pending).toBe(0);
  });

  it('stall_timeout shorter than the warning threshold: warns, then restarts the pod once', () => {
    const { clock, changes, restarts, watch } = setup(2000);
    watch.start();
    clock.advance(3000);
    expect(changes.map((c) => c.type)).toEqual(['stalled']);
    expect(restarts).toEqual(['w-0: stdin not read for 2s (stall_timeout 2s)']);
    clock.advance(5000);
    expect(restarts).toHaveLength(1);
    watch.podGone('w-0');
    expect(changes.at(-1)).toEqual({ type: 'gone', pod: 'w-0', task: 'w', forMs: 7000 });
  });
});
