import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';

describe('TopicDispatcher: bounded queues and overflow', () => {
  it('block: accepts, returns false at max_queue, whenRoom resolves once drained below it', async () => {
    const h = harness([taskSpec('log', { maxQueue: 3, overflow: 'block' })]);
    const results = ['1', '2', '3', '4'].map((d) => h.dispatcher.publish('jobs', d, 'producer'));
    expect(results).toEqual([true, true, false, false]);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ queued: 4, dropped: 0, rejected: 0 });
    let room = false;
    const wait = h.dispatcher.whenRoom().then(() => (room = true));
    await Promise.resolve();
    expect(room).toBe(false);
    const pod = h.ready('log-1', 'log');
    await wait;
    expect(room).toBe(true);
    expect(pod.data()).toEqual(['1', '2', '3', '4']);
    expect(h.events).toEqual([]);
  });

  it('block: no false when the message goes straight through to an idle pod', () => {
    const h = harness([taskSpec('log', { maxQueue: 1 })]);
    h.ready('log-1', 'log');
    for (let i = 0; i < 10; i++) expect(h.dispatcher.publish('jobs', `${i}`, null)).toBe(true);
  });

  it('block: whenRoom waits for every blocked queue', async () => {
    const h = harness([taskSpec('a', { maxQueue: 1 }), taskSpec('b', { maxQueue: 1 })]);
    expect(h.dispatcher.publish('jobs', '1', null)).toBe(false);
    let room = false;
    const wait = h.dispatcher.whenRoom().then(() => (room = true));
    h.ready('a-1', 'a');
    await Promise.resolve();
    expect(room).toBe(false);
    h.dispatcher.removeTask('b'); // its queued message is dropped (event) and it blocks no more
    await wait;
    expect(h.events.map((e) => e.type === 'dropped' && e.reason)).toEqual(['task-removed']);
    let again = false;
    void h.dispatcher.whenRoom().then(() => (again = true));
    await Promise.resolve();
    expect(again).toBe(true); // nothing blocked any more: resolves at once
  });

  it('drop_oldest: keeps the newest max_queue, counts and reports each drop', () => {
    const h = harness([taskSpec('log', { maxQueue: 2, overflow: 'drop_oldest' })]);
    for (const d of ['1', '2', '3', '4', '5']) expect(h.dispatcher.publish('jobs', d, null)).toBe(true);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ queued: 2, dropped: 3 });
    expect(h.events.map((e) => e.type === 'dropped' && `${e.reason}:${e.message.data}`)).toEqual(['overflow:1', 'overflow:2', 'overflow:3']);
    expect(h.ready('log-1', 'log').data()).toEqual(['4', '5']);
  });

  it('reject: keeps the oldest max_queue, counts and reports each rejection', () => {
    const h = harness([taskSpec('log', { maxQueue: 2, overflow: 'reject' })]);
    for (const d of ['1', '2', '3', '4', '5']) expect(h.dispatcher.publish('jobs', d, null)).toBe(true);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ queued: 2, rejected: 3, dropped: 0 });
    expect(h.events.map((e) => e.type === 'rejected' && `${e.task}:${e.message.data}`)).toEqual(['log:3', 'log:4', 'log:5']);
    expect(h.ready('log-1', 'log').data()).toEqual(['1', '2']);
  });

  it('overflow is per task: a full queue does not affect another task', () => {
    const h = harness([taskSpec('slow', { maxQueue: 1, overflow: 'reject' }), taskSpec('fast', { maxQueue: 100 })]);
    for (const d of ['1', '2', '3']) h.dispatcher.publish('jobs', d, null);
    expect(h.dispatcher.stats().tasks['fast']?.queued).toBe(3);
    expect(h.dispatcher.stats().tasks['slow']).toMatchObject({ queued: 1, rejected: 2 });
  });

  it('redelivered messages go back even past max_queue (never dropped twice)', () => {
    const h = harness([taskSpec('w', { mode: 'round_robin', maxQueue: 1, overflow: 'reject' })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '1', null); // in flight
    h.dispatcher.publish('jobs', '2', null); // queued (1/1)
    h.dispatcher.podGone('w-1');
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 2, rejected: 0 });
    expect(h.ready('w-2', 'w').data()).toEqual(['1']);
  });

  it('pod-level queues are bounded by the same rules (block → false, room after podWritable)', async () => {
    const h = harness([taskSpec('v', { subscribe: [], maxQueue: 2 })]);
    const pod = h.ready('v-1', 'v');
    h.dispatcher.subscribePod('v-1', 'feed');
    pod.full = true;
    expect(['1', '2', '3'].map((d) => h.dispatcher.publish('feed', d, null))).toEqual([true, true, false]);
    let room = false;
    const wait = h.dispatcher.whenRoom().then(() => (room = true));
    pod.full = false;
    h.dispatcher.podWritable('v-1');
    await wait;
    expect(room).toBe(true);
    expect(pod.data()).toEqual(['1', '2', '3']);
  });

  it('block on max_queue_bytes: a few big messages pause the publisher before max_queue', async () => {
    // Weight = topic "jobs" (4) + data (100) = 104 per message; budget 300: the third blocks.
    const h = harness([taskSpec('log', { maxQueue: 1000, maxQueueBytes: 300 })]);
    const big = (i: number): string => String(i).repeat(100);
    expect([1, 2, 3].map((i) => h.dispatcher.publish('jobs', big(i), 'producer'))).toEqual([true, true, false]);
    let room = false;
    const wait = h.dispatcher.whenRoom().then(() => (room = true));
    const pod = h.ready('log-1', 'log');
    await wait;
    expect(room).toBe(true);
    expect(pod.data()).toEqual([big(1), big(2), big(3)]);
  });

  it('max_queue_bytes changes live on configureTask', () => {
    const h = harness([taskSpec('log', { maxQueueBytes: 1000, overflow: 'reject' })]);
    h.dispatcher.configureTask(taskSpec('log', { maxQueueBytes: 10, overflow: 'reject' }));
    for (const d of ['1234', '1234']) h.dispatcher.publish('jobs', d, null); // 8 each
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ queued: 1, rejected: 1 });
  });
});
