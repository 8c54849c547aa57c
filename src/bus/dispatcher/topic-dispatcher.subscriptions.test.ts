import { describe, expect, it } from 'vitest';
import { UnknownTaskError } from './errors.js';
import { harness, taskSpec } from './fakes.case.js';

describe('TopicDispatcher: pod-level subscriptions, retained latest, config', () => {
  it('"system.subscribe" delivers to that pod only, whatever the task mode; unsubscribe stops it', () => {
    const h = harness([taskSpec('w', { mode: 'round_robin', subscribe: [] })]);
    const a = h.ready('w-1', 'w');
    const b = h.ready('w-2', 'w');
    expect(h.dispatcher.publish('system.subscribe', ' news.* ', 'w-1')).toBe(true);
    h.dispatcher.publish('news.a', '1', null);
    h.dispatcher.publish('news.b', '2', null);
    expect(a.data()).toEqual(['1', '2']);
    expect(b.chunks).toEqual([]);
    expect(h.dispatcher.stats().pods['w-1']).toMatchObject({ delivered: 2, inFlight: 0 }); // no acks
    h.dispatcher.publish('system.unsubscribe', 'news.*', 'w-1');
    h.dispatcher.publish('news.c', '3', null);
    expect(a.data()).toEqual(['1', '2']);
    expect(h.broker.latest('system.subscribe')).toBeUndefined(); // commands are not published
  });

  it('a pod whose task already subscribes gets no second, pod-level copy', () => {
    const h = harness([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    h.dispatcher.publish('system.subscribe', 'jobs', 'log-1');
    h.dispatcher.publish('jobs', 'x', null);
    expect(a.data()).toEqual(['x']);
  });

  it('pod-level queues respect writability and are dropped (with events) when the pod goes', () => {
    const h = harness([taskSpec('v', { subscribe: [] })]);
    const a = h.ready('v-1', 'v');
    h.dispatcher.subscribePod('v-1', 'feed');
    a.full = true;
    h.dispatcher.publish('feed', '1', null);
    h.dispatcher.publish('feed', '2', null);
    expect(a.data()).toEqual(['1']);
    expect(h.dispatcher.stats().pods['v-1']?.queued).toBe(1);
    expect(h.dispatcher.inFlightOrQueued()).toBe(1);
    h.dispatcher.podGone('v-1');
    expect(h.events).toEqual([{ type: 'dropped', task: 'v', pod: 'v-1', reason: 'pod-gone', message: expect.objectContaining({ data: '2' }) }]);
    expect(h.broker.hasSubscribers('feed')).toBe(false);
    expect(h.dispatcher.stats().tasks['v']?.dropped).toBe(1);
  });

  it('invalid patterns, unknown pods and unknown system commands are warnings, not publishes', () => {
    const h = harness([taskSpec('w')]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('system.subscribe', 'a..b', 'w-1');
    h.dispatcher.publish('system.subscribe', 'x', 'ghost');
    h.dispatcher.publish('system.reboot', '', 'w-1');
    expect(h.warnings).toHaveLength(3);
    expect(h.broker.retainedTopics).toBe(0);
    expect(h.dispatcher.publish('system.pods', '{}', null)).toBe(true); // the orchestrator may
    expect(h.broker.latest('system.pods')?.data).toBe('{}');
  });

  it('replay_latest: a starting pod first gets the latest retained message of each subscribed topic', () => {
    const h = harness([taskSpec('cfg', { subscribe: ['config.*'], replayLatest: true }), taskSpec('plain', { subscribe: ['config.*'] })]);
    const first = h.ready('cfg-1', 'cfg');
    h.ready('plain-1', 'plain');
    h.dispatcher.publish('config.a', 'a1', null);
    h.dispatcher.publish('config.b', 'b1', null);
    h.dispatcher.publish('config.a', 'a2', null);
    h.dispatcher.publish('other', 'o', null);
    expect(first.data()).toEqual(['a1', 'b1', 'a2']);
    const late = h.ready('cfg-2', 'cfg');
    expect(late.data()).toEqual(['b1', 'a2']);
    const plainLate = h.ready('plain-2', 'plain');
    expect(plainLate.chunks).toEqual([]);
  });

  it('replay_latest does not duplicate a message that is still waiting in the task queue', () => {
    const h = harness([taskSpec('cfg', { subscribe: ['config'], replayLatest: true })]);
    h.dispatcher.publish('config', 'v1', null);
    h.dispatcher.publish('config', 'v2', null);
    expect(h.ready('cfg-1', 'cfg').data()).toEqual(['v1', 'v2']);
  });

  it('configureTask updates a task in place: the queue survives, new subscriptions apply', () => {
    const h = harness([taskSpec('w', { subscribe: ['a'] })]);
    h.dispatcher.publish('a', '1', null);
    h.dispatcher.configureTask(taskSpec('w', { subscribe: ['b'], mode: 'round_robin' }));
    h.dispatcher.publish('a', '2', null);
    h.dispatcher.publish('b', '3', null);
    const pod = h.ready('w-1', 'w');
    expect(pod.data()).toEqual(['1']); // round robin now: one in flight
    h.dispatcher.publish('a.result', '', 'w-1');
    expect(pod.data()).toEqual(['1', '3']);
  });

  it('podReady for an unconfigured task throws UnknownTaskError', () => {
    const h = harness();
    expect(() => h.ready('x-1', 'x')).toThrow(UnknownTaskError);
  });

  it('stats are exact', () => {
    const h = harness([taskSpec('w', { mode: 'round_robin', concurrency: 2 }), taskSpec('log')]);
    h.clock.setNow(5_000);
    h.dispatcher.publish('jobs', '1', null);
    h.clock.setNow(6_000);
    h.dispatcher.publish('jobs', '2', null);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '3', null);
    h.dispatcher.publish('jobs.result', '', 'w-1');
    expect(h.dispatcher.stats()).toEqual({
      tasks: {
        w: { queued: 0, inFlight: 2, oldestQueuedAt: null, delivered: 3, acked: 1, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 },
        log: { queued: 3, inFlight: 0, oldestQueuedAt: 5_000, delivered: 0, acked: 0, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 },
      },
      pods: { 'w-1': { task: 'w', inFlight: 2, delivered: 3, acked: 1, queued: 0, writable: true } },
    });
    expect(h.dispatcher.inFlightOrQueued()).toBe(5);
  });
});
