/** Transport suite: fan-out to tasks, broadcast delivery, stdin formats (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import { inProcessOnly, taskSpec, type Setup } from '../transport.case.js';

export function broadcastCases(setup: Setup): void {
  describe('fan-out and broadcast', () => {
    it('fans every message out to every subscribing task; broadcast pods all get a copy', async () => {
      const h = await setup([taskSpec('log'), taskSpec('work', { mode: 'round_robin', concurrency: 10 }), taskSpec('other', { subscribe: ['else'] })]);
      const log1 = h.ready('log-1', 'log');
      const log2 = h.ready('log-2', 'log');
      const w = [h.ready('work-1', 'work'), h.ready('work-2', 'work'), h.ready('work-3', 'work')];
      const o = h.ready('other-1', 'other');
      for (let i = 0; i < 6; i++) expect(h.bus.publish('jobs', `j${i}`, null)).toBe(true);
      await h.settle();
      const all = ['j0', 'j1', 'j2', 'j3', 'j4', 'j5'];
      expect(log1.data()).toEqual(all);
      expect(log2.data()).toEqual(all);
      expect(w.map((p) => p.data())).toEqual([['j0', 'j3'], ['j1', 'j4'], ['j2', 'j5']]);
      expect(o.chunks).toEqual([]);
      const stats = h.bus.stats();
      expect(stats.tasks['log']).toMatchObject({ delivered: 6, queued: 0, inFlight: 0, acked: 0 });
      expect(stats.tasks['work']).toMatchObject({ delivered: 6, queued: 0, inFlight: 6 });
      expect(stats.pods['log-1']).toEqual({ task: 'log', inFlight: 0, delivered: 6, acked: 0, queued: 0, writable: true });
    });

    it('writes the exact framed bytes', async () => {
      const h = await setup([taskSpec('log')]);
      const a = h.ready('log-1', 'log');
      h.bus.publish('jobs', 'line1\nline2', null);
      h.bus.publish('jobs', '', null);
      await h.settle();
      expect(a.chunks).toEqual(['jobs\n2\nline1\nline2\n', 'jobs\n0\n']);
    });

    it('encodes json (with id and attempt) and payload formats', async () => {
      const h = await setup([taskSpec('j', { stdin: 'json' }), taskSpec('p', { stdin: 'payload' })]);
      const j = h.ready('j-1', 'j');
      const p = h.ready('p-1', 'p');
      h.bus.publish('jobs', 'a\nb', null);
      await h.settle();
      expect(j.chunks).toEqual(['{"topic":"jobs","data":"a\\nb","id":"m1","attempt":1}\n']);
      expect(p.chunks).toEqual(['a\nb\n']);
    });

    inProcessOnly(setup, 'messages wait on the server, so the queue head (oldestQueuedAt) is not known locally')('queues while no pod is ready and flushes in order on podReady', async () => {
      const h = await setup([taskSpec('log')]);
      for (const d of ['a', 'b', 'c']) h.bus.publish('jobs', d, null);
      await h.settle();
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 3, delivered: 0, oldestQueuedAt: 1_000 });
      expect(h.bus.pending()).toBe(3);
      const pod = h.ready('log-1', 'log');
      await h.settle();
      expect(pod.data()).toEqual(['a', 'b', 'c']);
      expect(h.bus.stats().tasks['log']).toMatchObject({ queued: 0, delivered: 3, oldestQueuedAt: null });
      expect(h.bus.pending()).toBe(0);
    });

    it('the slowest pod gates the task: nothing is written until every ready pod is writable', async () => {
      const h = await setup([taskSpec('log')]);
      const fast = h.ready('log-1', 'log');
      const slow = h.ready('log-2', 'log');
      slow.full = true;
      h.bus.publish('jobs', 'a', null); // accepted by both; slow reports a full pipe
      await h.settle();
      h.bus.publish('jobs', 'b', null);
      h.bus.publish('jobs', 'c', null);
      await h.settle();
      expect(fast.data()).toEqual(['a']);
      expect(slow.data()).toEqual(['a']);
      expect(h.bus.stats().tasks['log']?.queued).toBe(2);
      slow.full = false;
      h.bus.podWritable('log-2');
      await h.settle();
      expect(fast.data()).toEqual(['a', 'b', 'c']);
      expect(slow.data()).toEqual(['a', 'b', 'c']);
    });

    it('a pod never gets a write while unwritable, even for its own round-robin share', async () => {
      const h = await setup([taskSpec('w', { mode: 'round_robin', concurrency: 5 })]);
      const a = h.ready('w-1', 'w');
      a.full = true;
      h.bus.publish('jobs', '1', null);
      await h.settle();
      h.bus.publish('jobs', '2', null);
      await h.settle();
      expect(a.data()).toEqual(['1']);
      const b = h.ready('w-2', 'w');
      await h.settle();
      expect(b.data()).toEqual(['2']);
    });

    it('a pod receives its own messages when its task subscribes to their topic', async () => {
      const h = await setup([taskSpec('chat', { subscribe: ['room'] })]);
      const a = h.ready('chat-1', 'chat');
      const b = h.ready('chat-2', 'chat');
      h.bus.publish('room', 'hi from a', 'chat-1');
      await h.settle();
      expect(a.data()).toEqual(['hi from a']);
      expect(b.data()).toEqual(['hi from a']);
    });

    it("keeps one publisher's order across a restart of a single-replica subscriber", async () => {
      const h = await setup([taskSpec('log')]);
      const first = h.ready('log-1', 'log');
      h.bus.publish('jobs', '1', 'p');
      await h.settle();
      h.bus.podGone('log-1');
      h.bus.publish('jobs', '2', 'p');
      h.bus.publish('jobs', '3', 'p');
      await h.settle();
      const second = h.ready('log-2', 'log');
      await h.settle();
      h.bus.publish('jobs', '4', 'p');
      await h.settle();
      expect(first.data()).toEqual(['1']);
      expect(second.data()).toEqual(['2', '3', '4']);
    });

    it('drainPod stops broadcast deliveries to that pod and resolves at once (nothing unacked)', async () => {
      const h = await setup([taskSpec('log')]);
      const a = h.ready('log-1', 'log');
      const b = h.ready('log-2', 'log');
      b.full = true;
      h.bus.publish('jobs', '1', null);
      await h.settle();
      h.bus.publish('jobs', '2', null); // gated by b
      await h.settle();
      expect(a.data()).toEqual(['1']);
      await h.bus.drainPod('log-2'); // b no longer gates
      await h.settle();
      expect(a.data()).toEqual(['1', '2']);
      expect(b.data()).toEqual(['1']);
    });
  });
}
