import { afterEach, describe, expect, test, vi } from 'vitest';
import type { QueueDepth } from '../bus/bus.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { ClusterDepth } from './cluster-depth.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ClusterDepth', () => {
  test('polls the bus, keeps the latest numbers, and says when they change', async () => {
    vi.useFakeTimers();
    const answers: (Record<string, QueueDepth> | Error)[] = [{ worker: { queued: 3, inFlight: 2 } }, { worker: { queued: 3, inFlight: 2 } }, new Error('gone'), { worker: { queued: 0, inFlight: 0 } }];
    const { logger, warnings } = recordingLogger();
    let changes = 0;
    const depth = new ClusterDepth({
      bus: { depth: () => { const next = answers.shift() ?? {}; return next instanceof Error ? Promise.reject(next) : Promise.resolve(next); } },
      logger,
      now: () => Date.now(),
      intervalMs: 100,
      changed: () => (changes += 1),
    });
    expect(depth.of('worker')).toBeUndefined();
    depth.start();
    await vi.advanceTimersByTimeAsync(0);
    expect([depth.of('worker'), depth.total(), changes]).toEqual([{ queued: 3, inFlight: 2 }, 5, 1]);
    await vi.advanceTimersByTimeAsync(100);
    expect(changes).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect([depth.total(), warnings.length]).toEqual([5, 1]);
    await vi.advanceTimersByTimeAsync(100);
    expect([depth.total(), changes]).toEqual([0, 2]);
    depth.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(answers).toEqual([]);
  });

  test('totalSince answers only from a read sent at or after the moment, and sends one when there is none', async () => {
    vi.useFakeTimers();
    let reads = 0;
    let now = 1000;
    const depth = new ClusterDepth({
      bus: { depth: () => Promise.resolve({ worker: { queued: (reads += 1) === 1 ? 4 : 0, inFlight: 0 } }) },
      logger: recordingLogger().logger,
      now: () => now,
      intervalMs: 60_000,
      changed: () => undefined,
    });
    depth.start();
    await vi.advanceTimersByTimeAsync(0);
    expect([depth.total(), depth.totalSince(1000), reads]).toEqual([4, 4, 1]);
    now = 2000;
    expect(depth.totalSince(1500)).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect([depth.totalSince(1500), reads]).toEqual([0, 2]);
    depth.close();
  });
});
