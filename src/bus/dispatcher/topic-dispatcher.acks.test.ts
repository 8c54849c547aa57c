import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', ...over });
/** Data of payload deliveries, in order (one line each). */
const lines = (chunks: readonly string[]): string[] => chunks.map((c) => c.slice(0, -1));

describe('TopicDispatcher: stdin = "payload" carries one line per message', () => {
  it('round_robin: multi-line data is dead-lettered at once with the reason, warned once, counted; later messages are acked exactly', () => {
    const h = harness([rr({ stdin: 'payload' }), taskSpec('dead', { subscribe: ['jobs.dead'] })]);
    const pod = h.ready('w-1', 'w');
    const grave = h.ready('dead-1', 'dead');
    // The documented reply-per-line worker: one reply for every line it is given.
    pod.onWrite = (chunk) => {
      for (let i = 0; i < chunk.split('\n').length - 1; i++) h.dispatcher.publish('jobs.result', 'ok', 'w-1');
    };
    for (const d of ['1', '2a\n2b', '3', '4\r', '5']) h.dispatcher.publish('jobs', d, null);
    expect(lines(pod.chunks)).toEqual(['1', '3', '5']);
    expect(grave.data()).toEqual(['2a', '4\r']); // framed: first data line of each dead letter
    expect(grave.chunks).toEqual(['jobs.dead\n2\n2a\n2b\n', 'jobs.dead\n1\n4\r\n']);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ delivered: 3, acked: 3, inFlight: 0, queued: 0, deadLettered: 2 });
    expect(h.events.filter((e) => e.type === 'undeliverable').map((e) => e.type === 'undeliverable' && [e.message.data, e.reason])).toEqual([
      ['2a\n2b', 'data has 2 lines; stdin = "payload" carries one line per message: use stdin = "json" or "framed"'],
      ['4\r', 'data contains "\\r", a line break to many line readers; stdin = "payload" carries one line per message: use stdin = "json" or "framed"'],
    ]);
    expect(h.warnings).toEqual([expect.objectContaining({ task: 'w', topic: 'jobs' })]);
  });

  it('dead-letters at once even with no pod to deliver to, and keeps the queue order', () => {
    const h = harness([rr({ stdin: 'payload' })]);
    for (const d of ['1', 'x\ny', '2']) h.dispatcher.publish('jobs', d, null);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 2, deadLettered: 1 });
    expect(lines(h.ready('w-1', 'w').chunks)).toEqual(['1']);
  });

  it('does not chain dead letters: an undeliverable "<topic>.dead" message is only counted', () => {
    const h = harness([rr({ stdin: 'payload', subscribe: ['jobs', 'jobs.dead'] })]);
    h.dispatcher.publish('jobs', 'x\ny', null);
    expect(h.events.filter((e) => e.type === 'undeliverable').map((e) => e.message.topic)).toEqual(['jobs', 'jobs.dead']);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 0, deadLettered: 2 });
  });

  it('broadcast and pod-level deliveries acknowledge nothing: their data lines are written verbatim', () => {
    const h = harness([taskSpec('b', { stdin: 'payload' })]);
    const pod = h.ready('b-1', 'b');
    h.dispatcher.publish('jobs', 'a\nb', null);
    expect(pod.chunks).toEqual(['a\nb\n']);
    expect(h.events).toEqual([]);
  });

  it('applies to messages already queued when a reload makes the task payload round_robin', () => {
    const h = harness([rr()]);
    h.dispatcher.publish('jobs', 'a\nb', null);
    h.dispatcher.publish('jobs', 'c', null);
    h.dispatcher.configureTask(rr({ stdin: 'payload' }));
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 1, deadLettered: 1 });
  });
});

describe('TopicDispatcher: acknowledging by id', () => {
  it('a reply naming an id frees exactly that message, out of order; a kill redelivers only the unacknowledged one', () => {
    const h = harness([rr({ concurrency: 2, stdin: 'json' })]);
    const a = h.ready('w-1', 'w');
    for (const d of ['1', '2', '3']) h.dispatcher.publish('jobs', d, null); // m1, m2 held; m3 queued
    expect(a.chunks.map((c) => JSON.parse(c).id)).toEqual(['m1', 'm2']);
    h.dispatcher.acknowledge('w-1', 'jobs.result', 'm2', 'ok');
    expect(a.chunks.map((c) => JSON.parse(c).id)).toEqual(['m1', 'm2', 'm3']);
    h.dispatcher.acknowledge('w-1', 'jobs.result', 'm3', 'ok');
    h.dispatcher.podGone('w-1');
    const b = h.ready('w-2', 'w');
    expect(b.chunks.map((c) => JSON.parse(c))).toEqual([{ topic: 'jobs', data: '1', id: 'm1', attempt: 2 }]);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ acked: 2, redelivered: 1, inFlight: 1 });
  });

  it('an id the pod does not hold (or of another topic) acknowledges nothing, warned once per task', () => {
    const h = harness([rr({ concurrency: 2, stdin: 'json', subscribe: ['jobs', 'img'] })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', '1', null); // m1
    h.dispatcher.publish('img', '2', null); // m2
    h.dispatcher.acknowledge('w-1', 'jobs.result', 'nope', 'ok');
    h.dispatcher.acknowledge('w-1', 'jobs.result', 'm2', 'ok'); // m2 is on "img"
    h.dispatcher.acknowledge('w-2', 'jobs.result', 'm1', 'ok'); // not the pod holding it
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ acked: 0, inFlight: 2 });
    expect(h.warnings).toEqual([expect.objectContaining({ pod: 'w-1', topic: 'jobs', id: 'nope' })]);
    h.dispatcher.acknowledge('w-1', 'img.result', 'm2', 'ok');
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ acked: 1, inFlight: 1 });
  });

  it('without an id a reply acknowledges the oldest; other topics and broadcast tasks are untouched and never warned', () => {
    const h = harness([rr({ concurrency: 2 }), taskSpec('b', { subscribe: ['feed'], stdin: 'json' })]);
    h.ready('w-1', 'w');
    h.ready('b-1', 'b');
    h.dispatcher.publish('jobs', '1', null);
    h.dispatcher.publish('jobs', '2', null);
    h.dispatcher.acknowledge('w-1', 'jobs', 'm1', 'ok'); // not a reply topic
    h.dispatcher.acknowledge('w-1', 'jobs.result', null, 'ok');
    h.dispatcher.acknowledge('b-1', 'feed.result', 'm9', 'ok');
    expect(h.dispatcher.stats().pods['w-1']).toMatchObject({ acked: 1, inFlight: 1 });
    expect(h.warnings).toEqual([]);
  });
});
