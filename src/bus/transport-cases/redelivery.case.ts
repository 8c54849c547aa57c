/** Transport suite: redelivery, dead letters, ack timeouts (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import { taskSpec, type Setup } from '../transport.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', stdin: 'json', ...over });
const attempts = (chunks: string[]) =>
  chunks.map((c) => {
    const m = JSON.parse(c) as { data: string; attempt: number };
    return `${m.data}#${m.attempt}`;
  });

export function redeliveryCases(setup: Setup): void {
  describe('redelivery, dead letters, ack timeouts', () => {
    it('podGone puts unacked messages back at the FRONT, in order, with attempt + 1', async () => {
      const h = await setup([rr({ concurrency: 2 })]);
      const a = h.ready('w-1', 'w');
      for (const d of ['1', '2', '3', '4']) h.bus.publish('jobs', d, null);
      await h.settle();
      expect(attempts(a.chunks)).toEqual(['1#1', '2#1']);
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 4, inFlight: 0, redelivered: 2 });
      const b = h.ready('w-2', 'w');
      await h.settle();
      expect(attempts(b.chunks)).toEqual(['1#2', '2#2']);
      h.bus.publish('jobs.result', '', 'w-2');
      h.bus.publish('jobs.result', '', 'w-2');
      await h.settle();
      expect(attempts(b.chunks)).toEqual(['1#2', '2#2', '3#1', '4#1']);
    });

    it('after exactly max_deliveries failed deliveries the message goes to <topic>.dead', async () => {
      const h = await setup([rr({ maxDeliveries: 3 }), taskSpec('dlq', { subscribe: ['jobs.dead'] })]);
      const dlq = h.ready('dlq-1', 'dlq');
      h.bus.publish('jobs', 'poison', null);
      await h.settle();
      const seen: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const pod = h.ready(`w-${i}`, 'w');
        await h.settle();
        seen.push(...attempts(pod.chunks));
        h.bus.podGone(`w-${i}`);
        await h.settle();
      }
      expect(seen).toEqual(['poison#1', 'poison#2', 'poison#3']);
      expect(dlq.chunks).toEqual(['jobs.dead\n1\npoison\n']);
      expect(h.events).toEqual([{ type: 'dead-lettered', task: 'w', pod: null, message: expect.objectContaining({ id: 'm1', topic: 'jobs', data: 'poison' }), attempts: 3 }]);
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 0, inFlight: 0, deadLettered: 1, redelivered: 2, delivered: 3 });
      const late = h.ready('w-9', 'w');
      await h.settle();
      expect(late.chunks).toEqual([]);
    });

    it('max_deliveries = 1 dead-letters on the first failure', async () => {
      const h = await setup([rr({ maxDeliveries: 1 })]);
      const dead = h.tap(['jobs.dead']);
      h.ready('w-1', 'w');
      h.bus.publish('jobs', 'x', null);
      await h.settle();
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.events.map((e) => e.type)).toEqual(['dead-lettered']);
      expect(dead.map((m) => [m.data, m.from])).toEqual([['x', null]]);
    });

    it('ack timeout then restart (podGone) redelivers to another pod with attempt + 1', async () => {
      const h = await setup();
      h.bus.configureTask(rr({ ackTimeoutMs: h.lease }));
      h.ready('w-1', 'w');
      h.bus.publish('jobs', 'slow', null);
      await h.settle();
      h.clock.advance(h.lease);
      await h.settle();
      expect(h.events.map((e) => e.type)).toEqual(['ack-timeout']);
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.clock.pending).toBe(0);
      const b = h.ready('w-2', 'w');
      await h.settle();
      expect(attempts(b.chunks)).toEqual(['slow#2']);
    });

    it('redeliverTo (a dead-letter retry) queues the message again for that one task, once, and for no other subscriber', async () => {
      const h = await setup([rr({ maxDeliveries: 1 }), taskSpec('audit', { subscribe: ['jobs'] })]);
      const seen = h.tap(['jobs']);
      const audit = h.ready('audit-1', 'audit');
      h.ready('w-1', 'w');
      h.bus.publish('jobs', 'poison', null);
      await h.settle();
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.events.map((e) => e.type)).toEqual(['dead-lettered']);
      expect(h.bus.redeliverTo('w', 'jobs', 'poison')).toBe(true);
      await h.settle();
      const again = h.ready('w-2', 'w');
      await h.settle();
      expect(attempts(again.chunks)).toEqual(['poison#1']);
      const retried = JSON.parse(again.chunks[0] ?? '{}') as { topic: string; id: string };
      expect(retried.topic).toBe('jobs');
      expect(retried.id).not.toBe('m1'); // a new message: the dead letter's id stays that of the one that failed
      expect(audit.data()).toEqual(['poison']);
      expect(seen.map((m) => m.data)).toEqual(['poison']);
      expect(h.bus.stats().tasks['w']).toMatchObject({ queued: 0, inFlight: 1, delivered: 2, deadLettered: 1 });
      expect(h.bus.stats().tasks['audit']).toMatchObject({ queued: 0, delivered: 1 });
      expect(h.events.map((e) => e.type)).toEqual(['dead-lettered']);
      expect(h.bus.redeliverTo('nobody', 'jobs', 'x')).toBe(false);
    });

    it('podGone with a removed task reports the held messages as dropped', async () => {
      const h = await setup([rr()]);
      h.ready('w-1', 'w');
      h.bus.publish('jobs', 'x', null);
      await h.settle();
      h.bus.removeTask('w');
      h.bus.podGone('w-1');
      await h.settle();
      expect(h.events).toEqual([{ type: 'dropped', task: 'w', pod: 'w-1', reason: 'task-removed', message: expect.objectContaining({ data: 'x' }) }]);
    });
  });
}
