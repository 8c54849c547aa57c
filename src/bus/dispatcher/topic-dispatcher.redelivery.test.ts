import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';

const rr = (over = {}) => taskSpec('w', { mode: 'round_robin', stdin: 'json', ...over });
const attempts = (chunks: string[]) => chunks.map((c) => {
  const m = JSON.parse(c) as { data: string; attempt: number };
  return `${m.data}#${m.attempt}`;
});

describe('TopicDispatcher: redelivery, dead letters, ack timeouts', () => {
  it('podGone puts unacked messages back at the FRONT, in order, with attempt + 1', () => {
    const h = harness([rr({ concurrency: 2 })]);
    const a = h.ready('w-1', 'w');
    for (const d of ['1', '2', '3', '4']) h.dispatcher.publish('jobs', d, null);
    expect(attempts(a.chunks)).toEqual(['1#1', '2#1']);
    h.dispatcher.podGone('w-1');
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 4, inFlight: 0, redelivered: 2 });
    const b = h.ready('w-2', 'w');
    expect(attempts(b.chunks)).toEqual(['1#2', '2#2']);
    h.dispatcher.publish('jobs.result', '', 'w-2');
    h.dispatcher.publish('jobs.result', '', 'w-2');
    expect(attempts(b.chunks)).toEqual(['1#2', '2#2', '3#1', '4#1']);
  });

  it('after exactly max_deliveries failed deliveries the message goes to <topic>.dead', () => {
    const h = harness([rr({ maxDeliveries: 3 }), taskSpec('dlq', { subscribe: ['jobs.dead'] })]);
    const dlq = h.ready('dlq-1', 'dlq');
    h.dispatcher.publish('jobs', 'poison', null);
    const seen: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const pod = h.ready(`w-${i}`, 'w');
      seen.push(...attempts(pod.chunks));
      h.dispatcher.podGone(`w-${i}`);
    }
    expect(seen).toEqual(['poison#1', 'poison#2', 'poison#3']);
    expect(dlq.chunks).toEqual(['jobs.dead\n1\npoison\n']);
    expect(h.events).toEqual([{ type: 'dead-lettered', task: 'w', pod: null, message: expect.objectContaining({ id: 'm1', topic: 'jobs', data: 'poison' }), attempts: 3 }]);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ queued: 0, inFlight: 0, deadLettered: 1, redelivered: 2, delivered: 3 });
    const late = h.ready('w-9', 'w');
    expect(late.chunks).toEqual([]);
  });

  it('max_deliveries = 1 dead-letters on the first failure', () => {
    const h = harness([rr({ maxDeliveries: 1 })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', 'x', null);
    h.dispatcher.podGone('w-1');
    expect(h.events.map((e) => e.type)).toEqual(['dead-lettered']);
    expect(h.broker.latest('jobs.dead')?.data).toBe('x');
  });

  it('one ack timer per pod: emits ack-timeout once per message, for the oldest first', () => {
    const h = harness([rr({ concurrency: 3, ackTimeoutMs: 100 })]);
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
    const h = harness([rr({ concurrency: 2, ackTimeoutMs: 100 })]);
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

  it('ack timeout then restart (podGone) redelivers to another pod with attempt + 1', () => {
    const h = harness([rr({ ackTimeoutMs: 100 })]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', 'slow', null);
    h.clock.advance(100);
    expect(h.events.map((e) => e.type)).toEqual(['ack-timeout']);
    h.dispatcher.podGone('w-1');
    expect(h.clock.pending).toBe(0);
    const b = h.ready('w-2', 'w');
    expect(attempts(b.chunks)).toEqual(['slow#2']);
  });

  it('podGone with a removed task reports the held messages as dropped', () => {
    const h = harness([rr()]);
    h.ready('w-1', 'w');
    h.dispatcher.publish('jobs', 'x', null);
    h.dispatcher.removeTask('w');
    h.dispatcher.podGone('w-1');
    expect(h.events).toEqual([{ type: 'dropped', task: 'w', pod: 'w-1', reason: 'task-removed', message: expect.objectContaining({ data: 'x' }) }]);
  });
});
