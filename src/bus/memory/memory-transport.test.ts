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
    expect(transport.latestNow('other')?.data).toBe('4');
    expect(transport.retainedTopics).toBe(3);
  });
});

describe('MemoryTransport: exact admission (tryPublish) is all or nothing', () => {
  it('a message one full "block" queue refuses enters none of its queues, task-level or pod-level', async () => {
    let n = 0;
    const transport = new MemoryTransport({ clock: new VirtualClock(), newId: () => `m${++n}` });
    const small = transport.bindTask(taskSpec('small', { maxQueue: 1 }), consumer);
    const large = transport.bindTask(taskSpec('large', { maxQueue: 10 }), consumer);
    transport.bindTask(taskSpec('viewer', { subscribe: [], maxQueue: 10 }), consumer);
    const own = transport.bindPod('viewer-1', 'viewer', () => {});
    transport.subscribePod('viewer-1', 'jobs');
    expect(transport.tryPublish('jobs', '1', 'p')).toBe(true);
    expect([small.length, large.length, own.length]).toEqual([1, 1, 1]);
    expect(transport.tryPublish('jobs', '2', 'p')).toBe(false); // "small" is full
    expect([small.length, large.length, own.length]).toEqual([1, 1, 1]);
    expect(transport.retainedTopics).toBe(1); // not published at all: "jobs" still holds "1"
    expect(transport.latestNow('jobs')?.data).toBe('1');
    let room = false;
    const wait = transport.whenRoom().then(() => (room = true));
    small.shift();
    small.want(() => 0);
    await wait;
    expect(room).toBe(true);
    expect(transport.tryPublish('jobs', '2', 'p')).toBe(true);
    expect([small.length, large.length, own.length]).toEqual([1, 2, 2]);
  });
});
