/** Transport suite: bounded queues, overflow policies, backpressure (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import { inProcessOnly, taskSpec, type Setup } from '../transport.case.js';

/** Whether `promise` has settled after the harness settled (false: still pending). */
async function settledAfter(promise: Promise<unknown>, settle: () => Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await settle();
  await Promise.resolve();
  return done;
}

export function overflowCases(setup: Setup): void {
  describe('bounded queues and overflow', () => {
    inProcessOnly(setup, 'a server-side queue cannot answer synchronously whether it is full: publish returns false only once a message was refused and parked')('block: accepts, returns false at max_queue, whenRoom resolves once drained below it', async () => {
      const h = await setup([taskSpec('log', { maxQueue: 3, overflow: 'block' })]);
      const results = ['1', '2', '3', '4'].map((d) => h.bus.publish('jobs', d, 'producer'));
      await h.settle();
      expect(results).toEqual([true, true, false, false]);
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 4, dropped: 0, rejected: 0 });
      let room = false;
      const wait = h.bus.whenRoom().then(() => (room = true));
      await Promise.resolve();
      expect(room).toBe(false);
      const pod = h.ready('log-1', 'log');
      await wait;
      expect(room).toBe(true);
      await h.settle();
      expect(pod.data()).toEqual(['1', '2', '3', '4']);
      expect(h.events).toEqual([]);
    });

    inProcessOnly(setup, 'a server-side queue cannot answer synchronously whether it is full: publish returns false only once a message was refused and parked')('block, max_queue = 2, no ready pod: a waiting publisher is refused the 3rd message until one pod is ready', async () => {
      const h = await setup([taskSpec('log', { maxQueue: 2, overflow: 'block' })]);
      const offered = ['1', '2', '3'].map((d) => h.transport.tryPublish('jobs', d, 'producer'));
      await h.settle();
      expect(offered).toEqual([true, true, false]);
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 2, dropped: 0, rejected: 0 });
      const room = h.bus.whenRoom();
      expect(await settledAfter(room, h.settle)).toBe(false);
      const pod = h.ready('log-1', 'log');
      await room;
      expect(h.transport.tryPublish('jobs', '3', 'producer')).toBe(true);
      await h.settle();
      expect(pod.data()).toEqual(['1', '2', '3']);
      expect(h.events).toEqual([]);
    });

    it('block: no false when the message goes straight through to an idle pod', async () => {
      const h = await setup([taskSpec('log', { maxQueue: 1 })]);
      h.ready('log-1', 'log');
      await h.settle();
      for (let i = 0; i < 10; i++) {
        expect(h.bus.publish('jobs', `${i}`, null)).toBe(true);
        await h.settle();
      }
    });

    inProcessOnly(setup, 'removing a task on one instance leaves its shared queue on the server (other instances may run it), so nothing is dropped')('block: whenRoom waits for every blocked queue', async () => {
      const h = await setup([taskSpec('a', { maxQueue: 1 }), taskSpec('b', { maxQueue: 1 })]);
      expect(h.bus.publish('jobs', '1', null)).toBe(false);
      await h.settle();
      let room = false;
      const wait = h.bus.whenRoom().then(() => (room = true));
      h.ready('a-1', 'a');
      await h.settle();
      await Promise.resolve();
      expect(room).toBe(false);
      h.bus.removeTask('b'); // its queued message is dropped (event) and it blocks no more
      await wait;
      expect(h.events.map((e) => e.type === 'dropped' && e.reason)).toEqual(['task-removed']);
      let again = false;
      void h.bus.whenRoom().then(() => (again = true));
      await Promise.resolve();
      expect(again).toBe(true); // nothing blocked any more: resolves at once
    });

    inProcessOnly(setup, 'the server discards the oldest message silently: no dropped event or counter')('drop_oldest: keeps the newest max_queue, counts and reports each drop', async () => {
      const h = await setup([taskSpec('log', { maxQueue: 2, overflow: 'drop_oldest' })]);
      for (const d of ['1', '2', '3', '4', '5']) expect(h.bus.publish('jobs', d, null)).toBe(true);
      await h.settle();
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 2, dropped: 3 });
      expect(h.events.map((e) => e.type === 'dropped' && `${e.reason}:${e.message.data}`)).toEqual(['overflow:1', 'overflow:2', 'overflow:3']);
      const pod = h.ready('log-1', 'log');
      await h.settle();
      expect(pod.data()).toEqual(['4', '5']);
    });

    it('reject: keeps the oldest max_queue, counts and reports each rejection', async () => {
      const h = await setup([taskSpec('log', { maxQueue: 2, overflow: 'reject' })]);
      for (const d of ['1', '2', '3', '4', '5']) expect(h.bus.publish('jobs', d, null)).toBe(true);
      await h.settle();
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 2, rejected: 3, dropped: 0 });
      expect(h.events.map((e) => e.type === 'rejected' && `${e.task}:${e.message.data}`)).toEqual(['log:3', 'log:4', 'log:5']);
      const pod = h.ready('log-1', 'log');
      await h.settle();
      expect(pod.data()).toEqual(['1', '2']);
    });

    it('overflow is per task: a full queue does not affect another task', async () => {
      const h = await setup([taskSpec('slow', { maxQueue: 1, overflow: 'reject' }), taskSpec('fast', { maxQueue: 100 })]);
      for (const d of ['1', '2', '3']) h.bus.publish('jobs', d, null);
      await h.settle();
      expect(h.bus.stats().tasks['fast']?.queued).toBe(3);
      expect(h.bus.stats().tasks['slow']).toMatchObject({ queued: 1, rejected: 2 });
    });

    inProcessOnly(setup, 'a WorkQueue stream counts unacknowledged messages against max_queue, so what a pod holds takes queue room')('redelivered messages go back even past max_queue (never dropped twice)', async () => {
      const h = await setup([taskSpec('w', { mode: 'round_robin', maxQueue: 1, overflow: 'reject' })]);
      h.ready('w-1', 'w');
      h.bus.publish('jobs', '1', null); // in flight
      await h.settle();
      h.bus.publish('jobs', '2', null); // queued (1/1)
      await h.settle();
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 2, rejected: 0 });
      const pod = h.ready('w-2', 'w');
      await h.settle();
      expect(pod.data()).toEqual(['1']);
    });

    inProcessOnly(setup, 'pod-level copies travel as observer traffic, which cannot hold remote publishers back: block degrades to a counted rejection')('pod-level queues are bounded by the same rules (block → false, room after podWritable)', async () => {
      const h = await setup([taskSpec('v', { subscribe: [], maxQueue: 2 })]);
      const pod = h.ready('v-1', 'v');
      h.bus.subscribePod('v-1', 'feed');
      await h.settle();
      pod.full = true;
      expect(['1', '2', '3'].map((d) => h.bus.publish('feed', d, null))).toEqual([true, true, false]);
      await h.settle();
      let room = false;
      const wait = h.bus.whenRoom().then(() => (room = true));
      pod.full = false;
      h.bus.podWritable('v-1');
      await wait;
      expect(room).toBe(true);
      await h.settle();
      expect(pod.data()).toEqual(['1', '2', '3']);
    });

    inProcessOnly(setup, 'max_queue_bytes counts stored bytes (subject, headers and envelope too), not topic + data')('block on max_queue_bytes: a few big messages pause the publisher before max_queue', async () => {
      // Weight = topic "jobs" (4) + data (100) = 104 per message; budget 300: the third blocks.
      const h = await setup([taskSpec('log', { maxQueue: 1000, maxQueueBytes: 300 })]);
      const big = (i: number): string => String(i).repeat(100);
      expect([1, 2, 3].map((i) => h.bus.publish('jobs', big(i), 'producer'))).toEqual([true, true, false]);
      await h.settle();
      let room = false;
      const wait = h.bus.whenRoom().then(() => (room = true));
      const pod = h.ready('log-1', 'log');
      await wait;
      expect(room).toBe(true);
      await h.settle();
      expect(pod.data()).toEqual([big(1), big(2), big(3)]);
    });

    inProcessOnly(setup, 'max_queue_bytes counts stored bytes (subject, headers and envelope too), not topic + data')('max_queue_bytes changes live on configureTask', async () => {
      const h = await setup([taskSpec('log', { maxQueueBytes: 1000, overflow: 'reject' })]);
      h.bus.configureTask(taskSpec('log', { maxQueueBytes: 10, overflow: 'reject' }));
      await h.settle();
      for (const d of ['1234', '1234']) h.bus.publish('jobs', d, null); // 8 each
      await h.settle();
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 1, rejected: 1 });
    });
  });
}
