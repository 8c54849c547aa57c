import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../config/types.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { createLogger, type LogLevel, type LogRecord } from '../util/logger.js';
import { QueueSignals } from './queue-signals.js';

function signals(level: LogLevel): { records: LogRecord[]; specReads: string[]; queue: QueueSignals } {
  const records: LogRecord[] = [];
  const specReads: string[] = [];
  const queue = new QueueSignals({
    clock: new VirtualClock(),
    logger: createLogger({ level, sink: (r) => records.push(r), now: () => 0 }),
    events: { record: () => ({}) as never },
    stats: () => ({ tasks: [] }) as never,
    spec: (task) => {
      specReads.push(task);
      return { overflow: 'drop_oldest', maxQueue: 10 } as TaskSpec;
    },
    restart: () => {},
  });
  return { records, specReads, queue };
}

describe('QueueSignals drop lines', () => {
  it('warns about an overflow drop with its text and counts', () => {
    const { records, queue } = signals('info');
    queue.busEvent({ type: 'dropped', task: 'worker', reason: 'overflow' } as never);
    expect(records.map((r) => [r.level, r.fields])).toEqual([[40, { task: 'worker', reason: 'overflow', count: 1, total: 1 }]]);
    expect(records[0]?.msg).toMatch(/^worker: /);
    queue.close();
  });

  it('builds nothing for a line below the log level, and still counts the drop', () => {
    const { records, specReads, queue } = signals('error');
    queue.busEvent({ type: 'dropped', task: 'worker', reason: 'overflow' } as never);
    queue.busEvent({ type: 'rejected', task: 'worker' } as never);
    expect(records).toEqual([]);
    expect(specReads).toEqual([]);
    expect(queue.discarded('worker')).toEqual({ overflow: 1, rejected: 1 });
    queue.close();
  });
});
