import { describe, expect, it } from 'vitest';
import type { Pod } from '../pod/pod.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { decideScale, replaceExited, type PoolPod } from './autoscale.js';
import { Autoscaler, type PoolController, type PoolLoad, type ScaleChange } from './autoscaler.js';

const bounds = { min: 0, max: 8, idleMs: 30_000 };
const ready = (name: string, inFlight = 0, idleSince: number | null = inFlight > 0 ? null : 0): PoolPod => ({ name, status: 'ready', inFlight, idleSince });
const starting = (name: string): PoolPod => ({ name, status: 'starting', inFlight: 0, idleSince: null });

describe('decideScale', () => {
  it('a pool at zero with messages waiting grows one pod per waiting message, up to max', () => {
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 3, pods: [] })).toEqual({ type: 'grow', to: 3, reason: '3 queued' });
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 57, pods: [] })).toEqual({ type: 'grow', to: 8, reason: '57 queued' });
    expect(decideScale({ now: 0, bounds, concurrency: 4, queued: 9, pods: [] })).toEqual({ type: 'grow', to: 3, reason: '9 queued' });
  });

  it('starting and restarting pods count as capacity, so a burst does not start a pod per look', () => {
    const pods = [starting('w-0'), starting('w-1'), { name: 'w-2', status: 'restarting', inFlight: 0, idleSince: null } as const];
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 3, pods })).toEqual({ type: 'hold', wakeAt: null });
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 5, pods })).toEqual({ type: 'grow', to: 5, reason: '5 queued' });
  });

  it('busy ready pods give no capacity; at max it holds', () => {
    const busy = Array.from({ length: 8 }, (_, i) => ready(`w-${i}`, 1));
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 2, pods: busy.slice(0, 2) })).toEqual({ type: 'grow', to: 4, reason: '2 queued' });
    expect(decideScale({ now: 0, bounds, concurrency: 1, queued: 100, pods: busy })).toEqual({ type: 'hold', wakeAt: null });
  });

  it('below min grows to min whatever the queue', () => {
    expect(decideScale({ now: 0, bounds: { ...bounds, min: 2 }, concurrency: 1, queued: 0, pods: [] })).toEqual({ type: 'grow', to: 2, reason: 'min is 2' });
  });

  it('idle pods stop once idle has passed, the longest idle first, never below min; holds until then', () => {
    const pods = [ready('w-0', 0, 1000), ready('w-1', 0, 500), ready('w-2', 1)];
    expect(decideScale({ now: 30_000, bounds, concurrency: 1, queued: 0, pods })).toEqual({ type: 'hold', wakeAt: 30_500 });
    expect(decideScale({ now: 30_500, bounds, concurrency: 1, queued: 0, pods })).toEqual({ type: 'shrink', pods: ['w-1'], to: 2, reason: 'idle for 30s' });
    expect(decideScale({ now: 40_000, bounds, concurrency: 1, queued: 0, pods })).toEqual({ type: 'shrink', pods: ['w-1', 'w-0'], to: 1, reason: 'idle for 30s' });
    expect(decideScale({ now: 40_000, bounds: { ...bounds, min: 2 }, concurrency: 1, queued: 0, pods })).toEqual({ type: 'shrink', pods: ['w-1'], to: 2, reason: 'idle for 30s' });
    expect(decideScale({ now: 40_000, bounds: { ...bounds, min: 3 }, concurrency: 1, queued: 0, pods })).toEqual({ type: 'hold', wakeAt: null });
  });

  it('never stops a pod that holds messages, and never shrinks while messages wait', () => {
    expect(decideScale({ now: 1e9, bounds, concurrency: 1, queued: 0, pods: [ready('w-0', 1)] })).toEqual({ type: 'hold', wakeAt: null });
    expect(decideScale({ now: 1e9, bounds, concurrency: 2, queued: 1, pods: [ready('w-0', 1), ready('w-1', 0, 0)] })).toEqual({ type: 'hold', wakeAt: null });
  });

  it('replaceExited: only while there is work, or to keep min', () => {
    expect(replaceExited({ queued: 0, inFlight: 0, remaining: 2, min: 0 })).toBe(false);
    expect(replaceExited({ queued: 1, inFlight: 0, remaining: 2, min: 0 })).toBe(true);
    expect(replaceExited({ queued: 0, inFlight: 1, remaining: 2, min: 0 })).toBe(true);
    expect(replaceExited({ queued: 0, inFlight: 0, remaining: 1, min: 2 })).toBe(true);
  });
});

/**
 * A pool controller over fake pods whose phase and readiness the test sets. Deferred looks wait in
 * `deferred` until `look()` runs them (in the orchestrator: right after the current callback).
 */
function pool(concurrency = 1, options: { defer?: boolean } = {}) {
  const clock = new VirtualClock(0);
  const deferred: Array<() => void> = [];
  let scales = 0;
  const pods: Array<Pod & { ready: boolean }> = [];
  const load: { tasks: Record<string, { queued: number; inFlight: number }>; pods: Record<string, { inFlight: number; delivered: number }> } = { tasks: { w: { queued: 0, inFlight: 0 } }, pods: {} };
  let next = 0;
  const controller: PoolController = {
    name: 'w',
    taskSpec: { concurrency } as PoolController['taskSpec'],
    inService: () => [...pods],
    scale: (n: number) => {
      scales++;
      while (pods.length < n) pods.push({ name: `w-${next++}`, state: { phase: 'starting' }, ready: false } as unknown as Pod & { ready: boolean });
      return Promise.resolve();
    },
    shrink: (victims: readonly Pod[]) => {
      for (const v of victims) pods.splice(pods.indexOf(v as Pod & { ready: boolean }), 1);
      return Promise.resolve();
    },
  };
  const changes: ScaleChange[] = [];
  const defer = options.defer === false ? {} : { defer: (fn: () => void) => deferred.push(fn) };
  const scaler = new Autoscaler(controller, { min: 0, max: 4, idleMs: 1000 }, { clock, load: () => load as PoolLoad, isReady: (pod) => (pod as Pod & { ready: boolean }).ready, mayStart: () => true, changed: (c) => changes.push(c), ...defer });
  const look = (): void => {
    while (deferred.length > 0) deferred.shift()?.();
  };
  const becomeReady = (): void => {
    for (const pod of pods) Object.assign(pod, { state: { phase: 'running' }, ready: true });
  };
  const steps = (): string[] => changes.map((c) => `${c.from}->${c.to} at ${c.at}: ${c.reason}`);
  return { clock, pods, load, scaler, becomeReady, steps, look, deferred, scales: () => scales };
}

describe('Autoscaler on a virtual clock', () => {
  it('grows from zero on a wake, then shrinks back to zero once every pod has been idle for idle', () => {
    const h = pool();
    h.load.tasks['w'] = { queued: 6, inFlight: 0 };
    h.scaler.wake();
    h.look();
    expect(h.steps()).toEqual(['0->4 at 0: 6 queued']);
    h.becomeReady();
    h.load.tasks['w'] = { queued: 2, inFlight: 4 };
    for (const pod of h.pods) h.load.pods[pod.name] = { inFlight: 1, delivered: 1 };
    h.clock.advance(100);
    // Busy at max: no step, but it keeps looking while above min.
    expect(h.steps()).toHaveLength(1);
    h.load.tasks['w'] = { queued: 0, inFlight: 0 };
    for (const pod of h.pods) h.load.pods[pod.name] = { inFlight: 0, delivered: 3 };
    h.clock.advance(250); // the look at 250 sees them idle from then on
    h.clock.advance(899);
    expect(h.steps()).toHaveLength(1);
    h.clock.advance(1);
    expect(h.steps()).toEqual(['0->4 at 0: 6 queued', '4->0 at 1250: idle for 1s']);
    expect(h.pods).toHaveLength(0);
  });

  it('a pod that received messages between two looks is not idle: its time starts again', () => {
    const h = pool();
    h.load.tasks['w'] = { queued: 1, inFlight: 0 };
    h.scaler.wake();
    h.look();
    h.becomeReady();
    h.load.tasks['w'] = { queued: 0, inFlight: 0 };
    h.load.pods['w-0'] = { inFlight: 0, delivered: 1 };
    h.clock.advance(250); // first idle look
    h.load.pods['w-0'] = { inFlight: 0, delivered: 5 }; // worked and acked in between
    h.clock.advance(1000);
    expect(h.pods).toHaveLength(1);
    h.clock.advance(1000);
    expect(h.pods).toHaveLength(0);
  });

  it('at min with nothing queued it sets no timer', () => {
    const h = pool();
    h.scaler.wake();
    h.look();
    expect(h.clock.pending).toBe(0);
  });

  it('new bounds apply on update', () => {
    const h = pool();
    h.scaler.update({ min: 2, max: 4, idleMs: 1000 });
    h.look();
    expect(h.steps()).toEqual(['0->2 at 0: min is 2']);
  });

  it('a burst to a pool at zero starts every pod it needs in one look, right after the current callback', () => {
    const h = pool();
    h.load.tasks['w'] = { queued: 530, inFlight: 0 };
    for (let i = 0; i < 3; i++) h.scaler.waiting();
    expect(h.steps()).toEqual([]);
    expect(h.deferred).toHaveLength(1);
    h.look();
    expect(h.steps()).toEqual(['0->4 at 0: 530 queued']);
    expect(h.scales()).toBe(1);
    expect(h.pods.map((p) => p.name)).toEqual(['w-0', 'w-1', 'w-2', 'w-3']);
  });

  it('at max, waiting messages cost no look until a pod changes or the poll comes', () => {
    const h = pool();
    h.load.tasks['w'] = { queued: 100, inFlight: 0 };
    h.scaler.waiting();
    h.look();
    expect(h.pods).toHaveLength(4);
    h.scaler.waiting();
    expect(h.deferred).toHaveLength(0);
    h.scaler.wake(); // a pod changed state
    expect(h.deferred).toHaveLength(1);
    h.look();
    h.scaler.waiting();
    expect(h.deferred).toHaveLength(0);
    expect(h.clock.pending).toBe(1); // above min: the poll still looks
    h.pods.pop(); // a pod went; its state change wakes the pool, which grows again
    h.scaler.wake();
    h.look();
    expect(h.steps()).toEqual(['0->4 at 0: 100 queued', '3->4 at 0: 100 queued']);
  });

  it('below max every wait is a look (one per callback)', () => {
    const h = pool();
    h.load.tasks['w'] = { queued: 2, inFlight: 0 };
    h.scaler.waiting();
    h.look();
    expect(h.pods).toHaveLength(2);
    h.load.tasks['w'] = { queued: 3, inFlight: 0 };
    h.scaler.waiting();
    h.scaler.waiting();
    expect(h.deferred).toHaveLength(1);
    h.look();
    expect(h.pods).toHaveLength(3);
  });

  it('by default a look is a microtask: before any timer, after the synchronous code that asked', async () => {
    const h = pool(1, { defer: false });
    h.load.tasks['w'] = { queued: 1, inFlight: 0 };
    h.scaler.waiting();
    expect(h.steps()).toEqual([]);
    await Promise.resolve();
    expect(h.steps()).toEqual(['0->1 at 0: 1 queued']);
  });
});
