/** Transport suite: pod-level subscriptions, retained latest, live config, stats (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from '../errors.js';
import { inProcessOnly, taskSpec, type Setup } from '../transport.case.js';

export function subscriptionCases(setup: Setup): void {
  describe('pod-level subscriptions, retained latest, config', () => {
    it('pod-level queues respect writability and are dropped (with events) when the pod goes', async () => {
      const h = await setup([taskSpec('v', { subscribe: [] })]);
      const a = h.ready('v-1', 'v');
      h.bus.subscribePod('v-1', 'feed');
      await h.settle();
      a.full = true;
      h.bus.publish('feed', '1', null);
      await h.settle();
      h.bus.publish('feed', '2', null);
      await h.settle();
      expect(a.data()).toEqual(['1']);
      expect(h.bus.stats().pods['v-1']?.queued).toBe(1);
      expect(h.bus.pending()).toBe(1);
      h.bus.podGone('v-1');
      await h.settle();
      expect(h.events).toEqual([{ type: 'dropped', task: 'v', pod: 'v-1', reason: 'pod-gone', message: expect.objectContaining({ data: '2' }) }]);
      expect(h.bus.hasSubscribers('feed')).toBe(false);
      expect(h.bus.stats().tasks['v']?.dropped).toBe(1);
    });

    it('podSubscriptions lists what each pod subscribed on its own, and forgets a pod that is gone', async () => {
      const h = await setup([taskSpec('v', { subscribe: ['feed'] }), taskSpec('w', { subscribe: [] })]);
      h.ready('v-1', 'v');
      h.ready('w-1', 'w');
      h.bus.subscribePod('w-1', 'news.*');
      h.bus.subscribePod('v-1', 'alerts');
      h.bus.subscribePod('w-1', 'feed');
      h.bus.subscribePod('w-1', 'news.*'); // already: not twice
      await h.settle();
      expect(h.bus.podSubscriptions()).toEqual([
        { pod: 'w-1', task: 'w', pattern: 'news.*' },
        { pod: 'w-1', task: 'w', pattern: 'feed' },
        { pod: 'v-1', task: 'v', pattern: 'alerts' },
      ]);
      expect(h.bus.unsubscribePod('w-1', 'feed')).toBe(true);
      h.bus.podGone('v-1');
      await h.settle();
      expect(h.bus.podSubscriptions()).toEqual([{ pod: 'w-1', task: 'w', pattern: 'news.*' }]);
    });

    it('replay_latest: a starting pod first gets the latest retained message of each subscribed topic', async () => {
      const h = await setup([taskSpec('cfg', { subscribe: ['config.*'], replayLatest: true }), taskSpec('plain', { subscribe: ['config.*'] })]);
      const first = h.ready('cfg-1', 'cfg');
      h.ready('plain-1', 'plain');
      h.bus.publish('config.a', 'a1', null);
      h.bus.publish('config.b', 'b1', null);
      h.bus.publish('config.a', 'a2', null);
      h.bus.publish('other', 'o', null);
      await h.settle();
      expect(first.data()).toEqual(['a1', 'b1', 'a2']);
      const late = h.ready('cfg-2', 'cfg');
      await h.settle();
      expect(late.data()).toEqual(['b1', 'a2']);
      const plainLate = h.ready('plain-2', 'plain');
      await h.settle();
      expect(plainLate.chunks).toEqual([]);
    });

    inProcessOnly(setup, 'only the local buffer is checked; a message still queued on the server may come twice')('replay_latest does not duplicate a message that is still waiting in the task queue', async () => {
      const h = await setup([taskSpec('cfg', { subscribe: ['config'], replayLatest: true })]);
      h.bus.publish('config', 'v1', null);
      h.bus.publish('config', 'v2', null);
      await h.settle();
      const pod = h.ready('cfg-1', 'cfg');
      await h.settle();
      expect(pod.data()).toEqual(['v1', 'v2']);
    });

    inProcessOnly(setup, "a task's mode decides its stream's retention, which JetStream cannot change in place")('configureTask updates a task in place: the queue survives, new subscriptions apply', async () => {
      const h = await setup([taskSpec('w', { subscribe: ['a'] })]);
      h.bus.publish('a', '1', null);
      await h.settle();
      h.bus.configureTask(taskSpec('w', { subscribe: ['b'], mode: 'round_robin' }));
      await h.settle();
      h.bus.publish('a', '2', null);
      h.bus.publish('b', '3', null);
      await h.settle();
      const pod = h.ready('w-1', 'w');
      await h.settle();
      expect(pod.data()).toEqual(['1']); // round robin now: one in flight
      h.bus.publish('a.result', '', 'w-1');
      await h.settle();
      expect(pod.data()).toEqual(['1', '3']);
    });

    it('podReady for an unconfigured task throws UnknownTaskError', async () => {
      const h = await setup();
      expect(() => h.ready('x-1', 'x')).toThrow(UnknownTaskError);
    });

    inProcessOnly(setup, 'messages wait on the server, so the queue head (oldestQueuedAt) is not known locally')('stats are exact', async () => {
      const h = await setup([taskSpec('w', { mode: 'round_robin', concurrency: 2 }), taskSpec('log')]);
      h.clock.setNow(5_000);
      h.bus.publish('jobs', '1', null);
      h.clock.setNow(6_000);
      h.bus.publish('jobs', '2', null);
      await h.settle();
      h.ready('w-1', 'w');
      await h.settle();
      h.bus.publish('jobs', '3', null);
      await h.settle();
      h.bus.publish('jobs.result', '', 'w-1');
      await h.settle();
      expect(h.bus.stats()).toEqual({
        tasks: {
          w: { queued: 0, inFlight: 2, oldestQueuedAt: null, delivered: 3, acked: 1, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 },
          log: { queued: 3, inFlight: 0, oldestQueuedAt: 5_000, delivered: 0, acked: 0, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 },
        },
        pods: { 'w-1': { task: 'w', inFlight: 2, delivered: 3, acked: 1, queued: 0, writable: true } },
      });
      expect(h.bus.pending()).toBe(5);
    });
  });
}
