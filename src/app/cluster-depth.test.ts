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
});
