import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/types.js';
import { RetainedStore } from './retained-store.js';

let n = 0;
const msg = (topic: string, data = 'x'): Message => ({ id: `m${++n}`, topic, data, from: null, publishedAt: n });

describe('RetainedStore', () => {
  it('keeps only the latest message per topic', () => {
    const store = new RetainedStore();
    store.retain(msg('a', '1'));
    store.retain(msg('a', '2'));
    expect(store.size).toBe(1);
    expect(store.latest('a')?.data).toBe('2');
  });

  it('evicts the least recently updated topic past maxTopics', () => {
    const store = new RetainedStore({ maxTopics: 2 });
    store.retain(msg('a'));
    store.retain(msg('b'));
    store.retain(msg('a', 'again')); // a is now the most recent
    store.retain(msg('c'));
    expect(store.select(() => true).map((m) => m.topic)).toEqual(['a', 'c']);
  });

  it('bounds total characters and skips a single oversized message', () => {
    const store = new RetainedStore({ maxChars: 10 });
    store.retain(msg('a', '1234')); // 5
    store.retain(msg('b', '1234')); // 10
    expect(store.retainedChars).toBe(10);
    store.retain(msg('c', '12')); // 13 → evict a
    expect(store.select(() => true).map((m) => m.topic)).toEqual(['b', 'c']);
    expect(store.retainedChars).toBe(8);
    store.retain(msg('d', '12345678901'));
    expect(store.latest('d')).toBeUndefined();
    expect(store.retainedChars).toBe(8);
  });

  it('replacing a topic with an oversized message forgets the old one', () => {
    const store = new RetainedStore({ maxChars: 5 });
    store.retain(msg('a', '1'));
    store.retain(msg('a', '123456'));
    expect(store.latest('a')).toBeUndefined();
    expect(store.retainedChars).toBe(0);
  });

  it('keeps the update order when the newest topic is published again and again', () => {
    const store = new RetainedStore({ maxTopics: 2, maxChars: 9 });
    store.retain(msg('a', '1'));
    store.retain(msg('b', '1'));
    store.retain(msg('b', '2')); // already the newest: updated in place
    store.retain(msg('b', '3'));
    expect(store.select(() => true).map((m) => `${m.topic}${m.data}`)).toEqual(['a1', 'b3']);
    expect(store.retainedChars).toBe(4);
    store.retain(msg('a', '2')); // a moves to the end
    store.retain(msg('c', '1')); // evicts b, the least recently updated
    expect(store.select(() => true).map((m) => `${m.topic}${m.data}`)).toEqual(['a2', 'c1']);
    store.retain(msg('c', '12345678')); // 9 chars: evicts a, keeps c alone
    expect(store.select(() => true).map((m) => m.topic)).toEqual(['c']);
    expect(store.retainedChars).toBe(9);
    store.retain(msg('c', '123456789')); // too big: forgotten, then a new newest
    store.retain(msg('d', '1'));
    store.retain(msg('d', '2'));
    expect(store.select(() => true).map((m) => `${m.topic}${m.data}`)).toEqual(['d2']);
    expect(store.retainedChars).toBe(2);
  });

  it('keeps a message given as fields, and makes it a Message with one id when first read', () => {
    let ids = 0;
    const store = new RetainedStore({}, () => `r${++ids}`);
    store.retainText('a', 'x', 'pod-1', 5);
    store.retainText('a', 'y', 'pod-1', 6); // in place: no id spent on 'x'
    expect(ids).toBe(0);
    const latest = store.latest('a');
    expect(latest).toEqual({ id: 'r1', topic: 'a', data: 'y', from: 'pod-1', publishedAt: 6 });
    expect(store.latest('a')).toBe(latest);
    expect(store.select(() => true)).toEqual([latest]);
    expect(store.retainedChars).toBe(2);
  });

  it('attaches the Message made for the same publish, not one for an earlier publish', () => {
    const store = new RetainedStore({}, () => 'fresh');
    const first = store.retainText('a', '1', null, 1);
    const queued = msg('a', '1');
    store.attach(first, queued);
    expect(store.latest('a')).toBe(queued);
    const second = store.retainText('a', '2', null, 2);
    store.attach(first, msg('a', '1')); // too late: '2' replaced it
    expect(store.latest('a')).toMatchObject({ id: 'fresh', data: '2' });
    store.retainText('b', '1', null, 3);
    const late = msg('a', '2');
    store.attach(second, late); // 'a' is no longer the newest topic: found by name
    expect(store.latest('a')).toBe(late);
    store.retainText('a', '3', null, 4);
    const third = msg('a', '3');
    store.retainText('c', '1', null, 5);
    store.attach(store.retainText('a', '4', null, 6), third);
    expect(store.latest('a')).toBe(third);
  });

  it('settle keeps the same data (copied, so it no longer holds the chunk it was sliced from)', () => {
    const store = new RetainedStore({}, () => 'id');
    const chunk = `"a": ${'x'.repeat(40)}\n"b": ${'y'.repeat(40)}\n`;
    store.retainText('a', chunk.slice(5, 45), null, 1);
    store.retainText('b', chunk.slice(51, 91), null, 2);
    const queued = msg('a', 'queued data, kept as the Message has it');
    store.attach(store.retainText('a', queued.data, null, 3), queued);
    store.settle();
    store.settle();
    expect(store.select(() => true).map((m) => [m.topic, m.data])).toEqual([
      ['b', 'y'.repeat(40)],
      ['a', queued.data],
    ]);
    expect(store.latest('a')).toBe(queued);
    expect(store.retainedChars).toBe(2 + 40 + queued.data.length);
  });
});
