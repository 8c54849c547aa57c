import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../testing/virtual-clock.js';
import { taskSpec } from '../transport.case.js';
import { MemoryTransport } from './memory-transport.js';

const consumer = { admit: () => true, arrived: () => {} };

describe('MemoryTransport: retained latest', () => {
  it('retains the latest message per topic and returns those matching patterns', () => {
    let n = 0;
    const transport = new MemoryTransport({ clock: new VirtualClock(), newId: () => `m${++n}` });
    const source = transport.bindTask(taskSpec('w', { subscribe: ['cfg.*'] }), consumer);
    transport.publish('cfg.a', '1', null);
    expect(source.length).toBe(1); // routed to the one subscribing task
    transport.publish('cfg.b', '2', null);
    transport.publish('cfg.a', '3', null);
    transport.publish('other', '4', null);
    expect(transport.latestMatching(['cfg.*']).map((m) => m.data)).toEqual(['2', '3']);
    expect(transport.latestMatching(['other', 'cfg.b']).map((m) => m.data)).toEqual(['2', '4']);
    expect(transport.latestMatching([])).toEqual([]);
    expect(transport.latest('other')?.data).toBe('4');
    expect(transport.retainedTopics).toBe(3);
  });
});
