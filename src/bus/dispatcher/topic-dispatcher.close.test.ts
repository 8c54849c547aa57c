import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';

const dropped = (events: ReturnType<typeof harness>['events']): string[] => events.map((e) => (e.type === 'dropped' ? `${e.reason}:${e.message.data}` : e.type));

describe('TopicDispatcher: closed tasks (finished jobs)', () => {
  it('closeTask drops what is queued and every later message, counting each; nothing stays queued', async () => {
    const h = harness([taskSpec('job', { maxQueue: 2 })]);
    h.dispatcher.publish('jobs', '1', null);
    expect(h.dispatcher.publish('jobs', '2', null)).toBe(false); // a full "block" queue pauses publishers
    let room = false;
    const wait = h.dispatcher.whenRoom().then(() => (room = true));
    h.dispatcher.closeTask('job');
    await wait;
    expect(room).toBe(true);
    for (const d of ['3', '4', '5']) expect(h.dispatcher.publish('jobs', d, null)).toBe(true);
    expect(dropped(h.events)).toEqual(['job-finished:1', 'job-finished:2', 'job-finished:3', 'job-finished:4', 'job-finished:5']);
    expect(h.dispatcher.stats().tasks['job']).toMatchObject({ queued: 0, dropped: 5, delivered: 0 });
    expect(h.dispatcher.inFlightOrQueued()).toBe(0);
  });

  it('openTask queues again (a pod of the task starts once more)', () => {
    const h = harness([taskSpec('job')]);
    h.dispatcher.closeTask('job');
    h.dispatcher.publish('jobs', 'lost', null);
    expect([h.dispatcher.isClosed('job'), h.dispatcher.isClosed('unknown')]).toEqual([true, false]);
    h.dispatcher.openTask('job');
    expect(h.dispatcher.isClosed('job')).toBe(false);
    h.dispatcher.publish('jobs', 'kept', null);
    expect(h.ready('job-0', 'job').data()).toEqual(['kept']);
    expect(h.dispatcher.stats().tasks['job']).toMatchObject({ dropped: 1, delivered: 1 });
  });

  it('unacknowledged messages of a pod that goes after its task closed are dropped, not requeued', () => {
    const h = harness([taskSpec('job', { mode: 'round_robin', concurrency: 2 })]);
    h.ready('job-0', 'job');
    h.dispatcher.publish('jobs', 'a', null);
    h.dispatcher.closeTask('job');
    h.dispatcher.podGone('job-0');
    expect(dropped(h.events)).toEqual(['job-finished:a']);
    expect(h.dispatcher.stats().tasks['job']).toMatchObject({ queued: 0, redelivered: 0, dropped: 1 });
  });

  it('does not touch other subscribers of the topic', () => {
    const h = harness([taskSpec('job'), taskSpec('svc')]);
    const svc = h.ready('svc-0', 'svc');
    h.dispatcher.closeTask('job');
    h.dispatcher.publish('jobs', 'x', null);
    expect(svc.data()).toEqual(['x']);
  });

  it('PodStats.writable reports backpressure', () => {
    const h = harness([taskSpec('svc')]);
    const pod = h.ready('svc-0', 'svc');
    pod.full = true;
    h.dispatcher.publish('jobs', 'x', null);
    expect(h.dispatcher.stats().pods['svc-0']?.writable).toBe(false);
    h.dispatcher.podWritable('svc-0');
    expect(h.dispatcher.stats().pods['svc-0']?.writable).toBe(true);
  });
});
