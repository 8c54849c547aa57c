import { describe, expect, it } from 'vitest';
import { StallDetector, type StallSample } from './stall-detector.js';

const sample = (overrides: Partial<StallSample> = {}): StallSample => ({ pod: 'w-0', task: 'w', blocked: true, delivered: 10, queued: 500, warnAfterMs: 5000, ...overrides });

describe('StallDetector', () => {
  it('reports a pod blocked with messages waiting once it has taken nothing for warnAfterMs, once per episode', () => {
    const d = new StallDetector();
    const reported = [];
    for (let t = 0; t <= 10_000; t += 1000) reported.push(...d.observe(t, [sample()]));
    expect(reported).toEqual([{ type: 'stalled', pod: 'w-0', task: 'w', forMs: 5000, queued: 500 }]);
    expect(d.stalledSince('w-0')).toBe(0);
    expect(d.stalledCount('w')).toBe(1);
  });

  it('reports the recovery when it reads again, and a later stall as a new episode', () => {
    const d = new StallDetector();
    for (let t = 0; t <= 5000; t += 1000) d.observe(t, [sample()]);
    expect(d.observe(6000, [sample({ blocked: false, delivered: 900, queued: 0 })])).toEqual([{ type: 'recovered', pod: 'w-0', task: 'w', forMs: 6000, queued: 0 }]);
    expect(d.stalledSince('w-0')).toBeNull();
    expect(d.stalledCount('w')).toBe(0);
    const again = [];
    for (let t = 7000; t <= 12_000; t += 1000) again.push(...d.observe(t, [sample({ delivered: 900 })]));
    expect(again.map((c) => [c.type, c.forMs])).toEqual([['stalled', 5000]]);
  });

  it('a slow pod that keeps taking messages is not stalled, though blocked at every sample', () => {
    const d = new StallDetector();
    const changes = [];
    for (let t = 0; t <= 20_000; t += 1000) changes.push(...d.observe(t, [sample({ delivered: t })]));
    expect(changes).toEqual([]);
  });

  it('a blocked pod with nothing waiting is not stalled (publishers are not held back)', () => {
    const d = new StallDetector();
    const changes = [];
    for (let t = 0; t <= 20_000; t += 1000) changes.push(...d.observe(t, [sample({ queued: 0 })]));
    expect(changes).toEqual([]);
  });

  it('honours a shorter warnAfterMs (stall_timeout) and reports a stalled pod that disappears as gone', () => {
    const d = new StallDetector();
    expect(d.observe(0, [sample({ warnAfterMs: 1000 })])).toEqual([]);
    expect(d.observe(1000, [sample({ warnAfterMs: 1000 })]).map((c) => c.type)).toEqual(['stalled']);
    expect(d.observe(2000, [])).toEqual([{ type: 'gone', pod: 'w-0', task: 'w', forMs: 2000 }]);
    expect(d.stalledCount('w')).toBe(0);
  });

  it('forget ends a reported episode as gone (a restarted pod keeps its name), and is silent otherwise', () => {
    const d = new StallDetector();
    d.observe(0, [sample({ warnAfterMs: 1000 }), sample({ pod: 'w-1' })]);
    d.observe(1000, [sample({ warnAfterMs: 1000 }), sample({ pod: 'w-1' })]);
    expect(d.forget('w-0', 1500)).toEqual({ type: 'gone', pod: 'w-0', task: 'w', forMs: 1500 });
    expect(d.forget('w-1', 1500)).toBeNull();
    expect(d.observe(2000, [sample({ delivered: 0, blocked: false, queued: 0 })])).toEqual([]);
  });

  it('tracks pods independently', () => {
    const d = new StallDetector();
    for (let t = 0; t <= 5000; t += 1000) d.observe(t, [sample(), sample({ pod: 'w-1', blocked: false })]);
    expect(d.stalledSince('w-0')).toBe(0);
    expect(d.stalledSince('w-1')).toBeNull();
  });
});
