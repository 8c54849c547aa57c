import { describe, expect, it } from 'vitest';
import { harness, taskSpec, type FakePod } from './fakes.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', ...over });

describe('TopicDispatcher: round robin', () => {
  it('300 jobs over 3 pods that reply at once: exactly 100 each, each acked once', () => {
    const h = harness([rr()]);
    const pods: FakePod[] = [];
    for (const name of ['w-1', 'w-2', 'w-3']) {
      const pod = h.ready(name, 'w');
      pod.onWrite = () => h.dispatcher.publish('jobs.result', 'ok', name); // synchronous reply
      pods.push(pod);
    }
    for (let i = 0; i < 300; i++) h.dispatcher.publish('jobs', `j${i}`, null);
    expect(pods.map((p) => p.chunks.length)).toEqual([100, 100, 100]);
    const all = pods.flatMap((p) => p.data()).sort();
    expect(new Set(all).size).toBe(300);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ delivered: 300, acked: 300, inFlight: 0, queued: 0 });
    expect(h.dispatcher.stats().pods['w-2']).toMatchObject({ delivered: 100, acked: 100, inFlight: 0 });
  });

  it('waits when every pod is busy; a reply frees exactly one slot', () => {
    const h = harness([rr()]);
    const a = h.ready('w-1', 'w');
    const b = h.ready('w-2', 'w');
    for (const d of ['1', '2', '3', '4']) h.dispatcher.publish('jobs', d, null);
    expect([a.data(), b.data()]).toEqual([['1'], ['2']]);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 2, inFlight: 2 });
    h.dispatcher.publish('jobs.result', 'done', 'w-2');
    expect([a.data(), b.data()]).toEqual([['1'], ['2', '3']]);
    h.dispatcher.publish('jobs.result', 'done', 'w-2');
    expect([a.data(), b.data()]).toEqual([['1'], ['2', '3', '4']]);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 0, inFlight: 2, acked: 2 });
  });

  it('concurrency N: a pod holds N, replies acknowledge the oldest of that topic in order', () => {
    const h = harness([rr({ concurrency: 3, subscribe: ['jobs', 'img'] })]);
    const a = h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '1', null);
    h.dispatcher.publish('img', '2', null);
    h.dispatcher.publish('jobs', '3', null);
    h.dispatcher.publish('jobs', '4', null);
    expect(a.data()).toEqual(['1', '2', '3']);
    expect(h.dispatcher.stats().pods['w-1']?.inFlight).toBe(3);
    h.dispatcher.publish('jobs.result', 'r', 'w-1'); // acks "1" (oldest jobs), frees a slot → "4"
    expect(a.data()).toEqual(['1', '2', '3', '4']);
    h.dispatcher.podGone('w-1'); // still held: img "2", jobs "3", jobs "4"
    const b = h.ready('w-2', 'w');
    expect(b.data()).toEqual(['2', '3', '4']);
    h.dispatcher.publish('img.result', 'r', 'w-2'); // acks "2"
    h.dispatcher.publish('jobs.result', 'r', 'w-2'); // acks "3"
    h.dispatcher.podGone('w-2');
    const c = h.ready('w-3', 'w');
    expect(c.data()).toEqual(['4']); // only the unacked one comes back
  });

  it('a reply is itself published on <topic>.result, for its subscribers', () => {
    const h = harness([rr(), taskSpec('audit', { subscribe: ['*.result'] })]);
    h.ready('w-1', 'w');
    const audit = h.ready('audit-1', 'audit');
    h.dispatcher.publish('jobs', 'j', null);
    h.dispatcher.publish('jobs.result', 'answer', 'w-1');
    expect(audit.chunks).toEqual(['jobs.result\n1\nanswer\n']);
    expect(h.dispatcher.stats().tasks['w']?.acked).toBe(1);
  });

  it('a reply on a topic the pod holds nothing of is just a publish (no ack)', () => {
    const h = harness([rr(), taskSpec('audit', { subscribe: ['other.result', 'jobs.result'] })]);
    h.ready('w-1', 'w');
    const audit = h.ready('audit-1', 'audit');
    h.dispatcher.publish('jobs', 'j', null);
    h.dispatcher.publish('other.result', 'x', 'w-1');
    h.dispatcher.publish('jobs.result', 'y', 'nobody'); // unknown pod: no ack either
    h.dispatcher.publish('jobs.result', 'z', null); // orchestrator: never an ack
    expect(audit.data()).toEqual(['x', 'y', 'z']);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ acked: 0, inFlight: 1 });
  });

  it('drainPod stops new deliveries and resolves when the pod has replied to everything', async () => {
    const h = harness([rr({ concurrency: 2 })]);
    const a = h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '1', null);
    let drained = false;
    const done = h.dispatcher.drainPod('w-1').then(() => (drained = true));
    h.dispatcher.publish('jobs', '2', null);
    expect(a.data()).toEqual(['1']);
    await Promise.resolve();
    expect(drained).toBe(false);
    h.dispatcher.publish('jobs.result', 'ok', 'w-1');
    await done;
    expect(drained).toBe(true);
    const b = h.ready('w-2', 'w');
    expect(b.data()).toEqual(['2']);
  });

  it('drainPod also resolves when podGone hands the messages back', async () => {
    const h = harness([rr()]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '1', null);
    const done = h.dispatcher.drainPod('w-1');
    h.dispatcher.podGone('w-1');
    await done;
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 1, redelivered: 1 });
  });
});
