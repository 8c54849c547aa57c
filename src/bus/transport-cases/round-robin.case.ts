/** Transport suite: round_robin delivery with `.result` acknowledgements (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import { taskSpec, type Setup } from '../transport.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', ...over });

export function roundRobinCases(setup: Setup): void {
  describe('round robin', () => {
    it('waits when every pod is busy; a reply frees exactly one slot', async () => {
      const h = await setup([rr()]);
      const a = h.ready('w-1', 'w');
      const b = h.ready('w-2', 'w');
      for (const d of ['1', '2', '3', '4']) h.bus.publish('jobs', d, null);
      await h.settle();
      expect([a.data(), b.data()]).toEqual([['1'], ['2']]);
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 2, inFlight: 2 });
      h.bus.publish('jobs.result', 'done', 'w-2');
      await h.settle();
      expect([a.data(), b.data()]).toEqual([['1'], ['2', '3']]);
      h.bus.publish('jobs.result', 'done', 'w-2');
      await h.settle();
      expect([a.data(), b.data()]).toEqual([['1'], ['2', '3', '4']]);
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 0, inFlight: 2, acked: 2 });
    });

    it('concurrency N: a pod holds N, replies acknowledge the oldest of that topic in order', async () => {
      const h = await setup([rr({ concurrency: 3, subscribe: ['jobs', 'img'] })]);
      const a = h.ready('w-1', 'w');
      h.bus.publish('jobs', '1', null);
      h.bus.publish('img', '2', null);
      h.bus.publish('jobs', '3', null);
      h.bus.publish('jobs', '4', null);
      await h.settle();
      expect(a.data()).toEqual(['1', '2', '3']);
      expect(h.bus.stats().pods['w-1']?.inFlight).toBe(3);
      h.bus.publish('jobs.result', 'r', 'w-1'); // acks "1" (oldest jobs), frees a slot → "4"
      await h.settle();
      expect(a.data()).toEqual(['1', '2', '3', '4']);
      h.bus.podGone('w-1'); // still held: img "2", jobs "3", jobs "4"
      await h.settle();
      const b = h.ready('w-2', 'w');
      await h.settle();
      expect(b.data()).toEqual(['2', '3', '4']);
      h.bus.publish('img.result', 'r', 'w-2'); // acks "2"
      h.bus.publish('jobs.result', 'r', 'w-2'); // acks "3"
      await h.settle();
      h.bus.podGone('w-2');
      await h.settle();
      const c = h.ready('w-3', 'w');
      await h.settle();
      expect(c.data()).toEqual(['4']); // only the unacked one comes back
    });

    it('a reply is itself published on <topic>.result, for its subscribers', async () => {
      const h = await setup([rr(), taskSpec('audit', { subscribe: ['*.result'] })]);
      h.ready('w-1', 'w');
      const audit = h.ready('audit-1', 'audit');
      h.bus.publish('jobs', 'j', null);
      await h.settle();
      h.bus.publish('jobs.result', 'answer', 'w-1');
      await h.settle();
      expect(audit.chunks).toEqual(['jobs.result\n1\nanswer\n']);
      expect(h.bus.stats().tasks['w']?.acked).toBe(1);
    });

    it('a reply on a topic the pod holds nothing of is just a publish (no ack)', async () => {
      const h = await setup([rr(), taskSpec('audit', { subscribe: ['other.result', 'jobs.result'] })]);
      h.ready('w-1', 'w');
      const audit = h.ready('audit-1', 'audit');
      h.bus.publish('jobs', 'j', null);
      await h.settle();
      h.bus.publish('other.result', 'x', 'w-1');
      h.bus.publish('jobs.result', 'y', 'nobody'); // unknown pod: no ack either
      h.bus.publish('jobs.result', 'z', null); // orchestrator: never an ack
      await h.settle();
      expect(audit.data()).toEqual(['x', 'y', 'z']);
      expect(h.bus.stats().tasks['w']).toMatchObject({ acked: 0, inFlight: 1 });
    });

    it('drainPod stops new deliveries and resolves when the pod has replied to everything', async () => {
      const h = await setup([rr({ concurrency: 2 })]);
      const a = h.ready('w-1', 'w');
      h.bus.publish('jobs', '1', null);
      await h.settle();
      let drained = false;
      const done = h.bus.drainPod('w-1').then(() => (drained = true));
      h.bus.publish('jobs', '2', null);
      await h.settle();
      expect(a.data()).toEqual(['1']);
      await Promise.resolve();
      expect(drained).toBe(false);
      h.bus.publish('jobs.result', 'ok', 'w-1');
      await done;
      expect(drained).toBe(true);
      const b = h.ready('w-2', 'w');
      await h.settle();
      expect(b.data()).toEqual(['2']);
    });

    it('drainPod also resolves when podGone hands the messages back', async () => {
      const h = await setup([rr()]);
      h.ready('w-1', 'w');
      h.bus.publish('jobs', '1', null);
      await h.settle();
      const done = h.bus.drainPod('w-1');
      h.bus.podGone('w-1');
      await done;
      await h.settle();
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 1, redelivered: 1 });
    });
  });
}
