import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { Prober, type ProbeTransition } from './prober.js';
import type { ProbeResult } from './types.js';

const spec = { periodMs: 1000, timeoutMs: 500, failureThreshold: 3 };

/** A check whose results are scripted; records when each call started and its abort signal. */
function scripted(results: readonly (ProbeResult | 'hang' | Error)[]) {
  const calls: { at: number; signal: AbortSignal }[] = [];
  let clock: VirtualClock | null = null;
  const check = (signal: AbortSignal): Promise<ProbeResult> => {
    calls.push({ at: clock?.now() ?? -1, signal });
    const next = results[Math.min(calls.length - 1, results.length - 1)] ?? { ok: true };
    if (next === 'hang') return new Promise<ProbeResult>(() => undefined);
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(next);
  };
  return { calls, check, bind: (c: VirtualClock) => (clock = c) };
}

function setup(results: readonly (ProbeResult | 'hang' | Error)[], initialDelayMs?: number) {
  const clock = new VirtualClock();
  const script = scripted(results);
  script.bind(clock);
  const events: ProbeTransition[] = [];
  const prober = new Prober({ spec, check: script.check, clock, onTransition: (t) => events.push(t), ...(initialDelayMs === undefined ? {} : { initialDelayMs }) });
  return { clock, prober, events, calls: script.calls };
}

const fail = (reason: string): ProbeResult => ({ ok: false, reason });

describe('Prober', () => {
  test('reports ready on the first pass, once', async () => {
    const { clock, prober, events, calls } = setup([{ ok: true }]);
    prober.start();
    await clock.advanceAsync(3500);
    expect(events).toEqual([{ type: 'ready' }]);
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 2000, 3000]);
    expect(prober.state).toBe('ready');
  });

  test('the first check waits for initialDelayMs; the next starts periodMs after the previous ended', async () => {
    const { clock, prober, calls } = setup(['hang'], 200);
    prober.start();
    await clock.advanceAsync(2500);
    // 200: first; times out at 700; next at 1700; times out at 2200.
    expect(calls.map((c) => c.at)).toEqual([200, 1700]);
  });

  test('fails after failure_threshold consecutive failures, once per streak, and recovers', async () => {
    const { clock, prober, events } = setup([fail('a'), fail('b'), fail('c'), fail('d'), { ok: true }, fail('e'), fail('f'), fail('g')]);
    prober.start();
    await clock.advanceAsync(1);
    expect(prober.consecutiveFailures).toBe(1);
    await clock.advanceAsync(2000);
    expect(events).toEqual([{ type: 'failed', reason: 'c', failures: 3 }]);
    await clock.advanceAsync(2000);
    expect(events).toEqual([{ type: 'failed', reason: 'c', failures: 3 }, { type: 'ready' }]);
    expect(prober.consecutiveFailures).toBe(0);
    await clock.advanceAsync(3000);
    expect(events).toEqual([{ type: 'failed', reason: 'c', failures: 3 }, { type: 'ready' }, { type: 'failed', reason: 'g', failures: 3 }]);
  });

  test('a pass resets the count: failures that are not consecutive never fail the probe', async () => {
    const { clock, prober, events } = setup([fail('a'), fail('b'), { ok: true }, fail('c'), fail('d'), { ok: true }]);
    prober.start();
    await clock.advanceAsync(6000);
    expect(events).toEqual([{ type: 'ready' }]);
  });

  test('a check that does not settle in time fails with a timeout and is aborted', async () => {
    const { clock, prober, events, calls } = setup(['hang']);
    prober.start();
    await clock.advanceAsync(499);
    expect(calls[0]?.signal.aborted).toBe(false);
    await clock.advanceAsync(1);
    expect(calls[0]?.signal.aborted).toBe(true);
    await clock.advanceAsync(3000);
    expect(events).toEqual([{ type: 'failed', reason: 'timed out after 500ms', failures: 3 }]);
  });

  test('a check that throws or rejects counts as a failure with its message', async () => {
    const clock = new VirtualClock();
    const events: ProbeTransition[] = [];
    let n = 0;
    const check = (): Promise<ProbeResult> => {
      n++;
      if (n === 1) throw new Error('sync boom');
      return Promise.reject(new Error('async boom'));
    };
    const prober = new Prober({ spec: { ...spec, failureThreshold: 2 }, check, clock, onTransition: (t) => events.push(t) });
    prober.start();
    await clock.advanceAsync(1000);
    expect(events).toEqual([{ type: 'failed', reason: 'async boom', failures: 2 }]);
  });

  test('stop clears the timer, aborts the running check and reports nothing afterwards', async () => {
    const clock = new VirtualClock();
    const events: ProbeTransition[] = [];
    let release: ((r: ProbeResult) => void) | null = null;
    const signals: AbortSignal[] = [];
    const prober = new Prober({
      spec,
      clock,
      onTransition: (t) => events.push(t),
      check: (signal) => {
        signals.push(signal);
        return new Promise<ProbeResult>((resolve) => (release = resolve));
      },
    });
    prober.start();
    await clock.advanceAsync(100);
    expect(signals).toHaveLength(1);
    prober.stop();
    expect(signals[0]?.aborted).toBe(true);
    (release as ((r: ProbeResult) => void) | null)?.({ ok: true });
    await clock.advanceAsync(10_000);
    expect(events).toEqual([]);
    expect(signals).toHaveLength(1);
    expect(clock.pending).toBe(0);
    expect(prober.state).toBe('stopped');
    prober.start();
    await clock.advanceAsync(10_000);
    expect(signals).toHaveLength(1);
  });

  test('stop from inside onTransition ends the loop', async () => {
    const clock = new VirtualClock();
    let checks = 0;
    const prober: Prober = new Prober({
      spec: { ...spec, failureThreshold: 1 },
      clock,
      check: () => {
        checks++;
        return Promise.resolve(fail('down'));
      },
      onTransition: () => prober.stop(),
    });
    prober.start();
    await clock.advanceAsync(5000);
    expect(checks).toBe(1);
    expect(clock.pending).toBe(0);
  });
});
