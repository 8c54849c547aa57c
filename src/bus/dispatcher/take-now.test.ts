// A broadcast message whose task queue is empty is written at once (TaskConsumer.takeNow): the
// same pods, order, counters and retained message as through the queue, and no object per message.
import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';

describe('taking a message past an empty queue (broadcast, framed / payload)', () => {
  it('is written at once, counted like a queued delivery, and makes no Message', () => {
    const h = harness([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    const b = h.ready('log-2', 'log');
    h.dispatcher.publish('jobs', 'one', null);
    h.dispatcher.publish('jobs', 'two', 'producer-1');
    expect(a.chunks).toEqual(['jobs\n1\none\n', 'jobs\n1\ntwo\n']);
    expect(b.chunks).toEqual(a.chunks);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ delivered: 2, queued: 0 });
    expect(h.dispatcher.stats().pods['log-1']).toMatchObject({ delivered: 2 });
    // The retained latest becomes a Message when read: one id, the same object on every read.
    const latest = h.transport.latestNow('jobs');
    expect(latest).toMatchObject({ id: 'm1', topic: 'jobs', data: 'two', from: 'producer-1', publishedAt: 1_000 });
    expect(h.transport.latestNow('jobs')).toBe(latest);
  });

  it('keeps publish order across backpressure: once a pod is full, later messages wait in the queue', () => {
    const h = harness([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    const b = h.ready('log-2', 'log');
    h.dispatcher.publish('jobs', '1', null);
    b.full = true;
    h.dispatcher.publish('jobs', '2', null); // written (the write reports full)
    h.dispatcher.publish('jobs', '3', null); // b not writable: queued
    h.dispatcher.publish('jobs', '4', null);
    expect(a.data()).toEqual(['1', '2']);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ delivered: 2, queued: 2 });
    b.full = false;
    h.dispatcher.podWritable('log-2');
    h.dispatcher.publish('jobs', '5', null); // queue empty again: taken at once
    expect(a.data()).toEqual(['1', '2', '3', '4', '5']);
    expect(b.data()).toEqual(a.data());
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ delivered: 5, queued: 0 });
  });

  it('a message published from inside a write is queued behind it, so every pod sees one order', () => {
    const h = harness([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    const b = h.ready('log-2', 'log');
    a.onWrite = (chunk) => {
      if (chunk === 'jobs\n1\nfirst\n') h.dispatcher.publish('jobs', 'nested', null);
    };
    h.dispatcher.publish('jobs', 'first', null);
    expect(a.data()).toEqual(['first', 'nested']);
    expect(b.data()).toEqual(['first', 'nested']);
    expect(h.dispatcher.stats().tasks['log']).toMatchObject({ delivered: 2, queued: 0 });
  });

  it('a fan-out writes one text to every task; a task with a waiting queue gets a queued entry', () => {
    const h = harness([taskSpec('x'), taskSpec('y')]);
    const x = h.ready('x-1', 'x');
    const y = h.ready('y-1', 'y');
    y.full = true;
    h.dispatcher.publish('jobs', 'a', null); // both take it; y reports full
    h.dispatcher.publish('jobs', 'b', null); // x takes it; y queues it (a Message, shared id)
    expect(x.data()).toEqual(['a', 'b']);
    expect(y.data()).toEqual(['a']);
    expect(h.transport.latestNow('jobs')?.id).toBe('m1'); // the queued entry's message
    y.full = false;
    h.dispatcher.podWritable('y-1');
    expect(y.data()).toEqual(['a', 'b']);
    expect(h.dispatcher.stats().tasks['y']).toMatchObject({ delivered: 2, queued: 0 });
  });

  it('replay_latest does not repeat a retained message that still waits in the queue', () => {
    const h = harness([taskSpec('log', { replayLatest: true })]);
    const a = h.ready('log-1', 'log');
    a.full = true;
    h.dispatcher.publish('jobs', 'sent', null);
    h.dispatcher.publish('jobs', 'waits', null); // queued: retained with the queue's id
    const late = h.ready('log-2', 'log'); // replay skips 'waits' (in the queue)
    expect(late.data()).toEqual([]);
    a.full = false;
    h.dispatcher.podWritable('log-1');
    expect(late.data()).toEqual(['waits']);
    expect(a.data()).toEqual(['sent', 'waits']);
  });

  it('payload tasks take it too; json, round_robin and closed tasks keep their own paths', () => {
    const h = harness([
      taskSpec('p', { stdin: 'payload' }),
      taskSpec('j', { stdin: 'json' }),
      taskSpec('r', { mode: 'round_robin' }),
      taskSpec('c'),
    ]);
    const p = h.ready('p-1', 'p');
    const j = h.ready('j-1', 'j');
    const r = h.ready('r-1', 'r');
    h.ready('c-1', 'c');
    h.dispatcher.closeTask('c');
    h.dispatcher.publish('jobs', 'hi', null);
    expect(p.chunks).toEqual(['hi\n']);
    expect(JSON.parse(j.chunks[0] as string)).toEqual({ topic: 'jobs', data: 'hi', id: 'm1', attempt: 1 });
    expect(r.chunks).toEqual(['jobs\n1\nhi\n']);
    expect(h.dispatcher.stats().tasks['r']).toMatchObject({ inFlight: 1 });
    expect(h.events).toEqual([expect.objectContaining({ type: 'dropped', task: 'c', reason: 'job-finished', message: expect.objectContaining({ id: 'm1' }) })]);
  });

  it('a tap sees every message as an object, with the id its queue entries carry', () => {
    const h = harness([taskSpec('log', { stdin: 'json' })]);
    const seen: string[] = [];
    h.transport.observe(['jobs'], (m) => seen.push(`${m.id}:${m.data}`));
    const a = h.ready('log-1', 'log');
    h.dispatcher.publish('jobs', 'x', null);
    expect(seen).toEqual(['m1:x']);
    expect(JSON.parse(a.chunks[0] as string)).toMatchObject({ id: 'm1' });
  });
});
