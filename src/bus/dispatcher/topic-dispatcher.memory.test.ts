// What only the in-process transport guarantees (the rest is in transport.case.ts): synchronous
// re-entrancy (a pod replying inside `write`), one Buffer shared between pods, exact timer steps.
import { describe, expect, it } from 'vitest';
import { harness, taskSpec, type FakePod } from './fakes.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', ...over });

describe('TopicDispatcher over the memory transport: synchronous and exact', () => {
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

  it('writes the exact framed text, the same to every pod', () => {
    const h = harness([taskSpec('log')]);
    const a = h.ready('log-1', 'log');
    const b = h.ready('log-2', 'log');
    const seen: (string | Buffer)[] = [];
    const write = a.write.bind(a);
    a.write = (chunk) => (seen.push(chunk), write(chunk));
    const writeB = b.write.bind(b);
    b.write = (chunk) => (seen.push(chunk), writeB(chunk));
    h.dispatcher.publish('jobs', 'line1\nline2', null);
    h.dispatcher.publish('jobs', '', null);
    expect(a.chunks).toEqual(['jobs\n2\nline1\nline2\n', 'jobs\n0\n']);
    expect(b.chunks).toEqual(a.chunks);
    // Two pods: one text, made once and written to both (the pods' writers join and encode a
    // turn's identical batches once, see SharedBatches).
    expect(typeof seen[0] === 'string' && seen[0] === seen[1]).toBe(true);
    // One pod: the text itself (its writer joins a turn of texts into one string).
    const h1 = harness([taskSpec('log')]);
    const only = h1.ready('log-1', 'log');
    const one: (string | Buffer)[] = [];
    const writeOnly = only.write.bind(only);
    only.write = (chunk) => (one.push(chunk), writeOnly(chunk));
    h1.dispatcher.publish('jobs', 'x', null);
    expect(one).toEqual(['jobs\n1\nx\n']);
  });

  it('one ack timer per pod: emits ack-timeout once per message, for the oldest first', () => {
    const h = harness([rr({ concurrency: 3, ackTimeoutMs: 100, stdin: 'json' })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', 'a', null);
    expect(h.clock.pending).toBe(1);
    h.clock.advance(40);
    h.dispatcher.publish('jobs', 'b', null);
    h.dispatcher.publish('jobs', 'c', null);
    expect(h.clock.pending).toBe(1); // not one per message
    h.clock.advance(59);
    expect(h.events).toEqual([]);
    h.clock.advance(1); // t = 100 after a
    expect(h.events).toEqual([{ type: 'ack-timeout', task: 'w', pod: 'w-1', message: expect.objectContaining({ data: 'a' }), attempt: 1, elapsedMs: 100 }]);
    h.dispatcher.publish('jobs.result', '', 'w-1'); // acks a (late); b and c still pending
    h.clock.advance(40); // t = 140 after b, c
    expect(h.events.map((e) => (e.type === 'ack-timeout' ? e.message.data : e.type))).toEqual(['a', 'b', 'c']);
    h.clock.advance(1_000);
    expect(h.events).toHaveLength(3); // once per delivery
    expect(h.clock.pending).toBe(0);
  });

  it('an acked message never times out; the timer re-arms for the next oldest', () => {
    const h = harness([rr({ concurrency: 2, ackTimeoutMs: 100, stdin: 'json' })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', 'a', null);
    h.clock.advance(50);
    h.dispatcher.publish('jobs', 'b', null);
    h.dispatcher.publish('jobs.result', '', 'w-1'); // ack a
    h.clock.advance(50); // a's deadline: nothing; re-armed for b at t=150
    expect(h.events).toEqual([]);
    h.clock.advance(50);
    expect(h.events.map((e) => e.type === 'ack-timeout' && e.message.data)).toEqual(['b']);
  });
});
