import { describe, expect, it } from 'vitest';
import { LATEST_DATA_CHARS, TopicBook } from './topic-book.js';

const msg = (topic: string, data: string, at: number, from: string | null = null) => ({ id: '', topic, data, from, publishedAt: at });

describe('TopicBook', () => {
  it('counts per topic and publisher task, keeps the last message, and counts per task', () => {
    const book = new TopicBook();
    book.published(msg('jobs', 'a', 1, 'producer-0'), 'producer');
    book.published(msg('jobs', 'b', 2, null), null);
    book.published(msg('jobs.result', 'a done', 3, 'worker-1'), 'worker');
    book.published(msg('jobs', 'c', 4, 'producer-1'), 'producer');
    expect(book.list().map((t) => ({ ...t, publishers: Object.fromEntries(t.publishers) }))).toEqual([
      { topic: 'jobs', publishers: { producer: 2, '': 1 }, published: 3, lastAt: 4, latest: { data: 'c', from: 'producer-1', at: 4, truncated: false } },
      { topic: 'jobs.result', publishers: { worker: 1 }, published: 1, lastAt: 3, latest: { data: 'a done', from: 'worker-1', at: 3, truncated: false } },
    ]);
    expect([book.publishedBy('producer'), book.publishedBy('worker'), book.publishedBy('nobody')]).toEqual([2, 1, 0]);
  });

  it('runs of one publisher on one topic, broken by other publishers, topics and a forgotten topic, count exactly', () => {
    const book = new TopicBook(2);
    const seq: [string, string | null][] = [['a', 'x'], ['a', 'x'], ['a', 'y'], ['a', 'x'], ['a', null], ['b', 'x'], ['a', 'x'], ['c', 'x'], ['c', 'x'], ['b', 'x'], ['b', 'x']];
    const publish = (i: number): void => {
      const [topic, task] = seq[i]!;
      book.published(msg(topic, String(i), i, task === null ? null : `${task}-0`), task);
    };
    for (let i = 0; i < 5; i++) publish(i);
    expect(book.list().map((t) => [t.topic, Object.fromEntries(t.publishers), t.published, t.latest.data])).toEqual([['a', { x: 3, y: 1, '': 1 }, 5, '4']]);
    for (let i = 5; i < seq.length; i++) publish(i);
    // 'b' was forgotten when 'c' came ('a' was published later), then 'a' when 'b' came back.
    expect(book.list().map((t) => [t.topic, Object.fromEntries(t.publishers), t.published, t.latest.data])).toEqual([
      ['b', { x: 2 }, 2, '10'],
      ['c', { x: 2 }, 2, '8'],
    ]);
    expect([book.publishedBy('x'), book.publishedBy('y'), book.evicted]).toEqual([9, 1, 2]);
  });

  it('keeps at most maxTopics (the least recently published goes) and cuts the kept data', () => {
    const book = new TopicBook(2);
    book.published(msg('a', 'x'.repeat(LATEST_DATA_CHARS + 5), 1), null);
    book.published(msg('b', '', 2), null);
    book.published(msg('a', 'again', 3), null); // a is now the most recent
    book.published(msg('c', '', 4), null);
    expect(book.list().map((t) => t.topic)).toEqual(['a', 'c']);
    expect(book.evicted).toBe(1);
    const big = new TopicBook();
    big.published(msg('a', 'y'.repeat(LATEST_DATA_CHARS + 5), 1), null);
    expect(big.list()[0]?.latest).toMatchObject({ data: 'y'.repeat(LATEST_DATA_CHARS), truncated: true });
  });

  it('count: a pod message stamped with the time of its turn (read once per turn), filed like published', async () => {
    let now = 10;
    let reads = 0;
    const book = new TopicBook(1000, () => (reads++, now));
    book.count('jobs', 'a', 'producer-0', 'producer');
    now = 11;
    book.count('jobs', 'b', 'producer-0', 'producer'); // same turn: same stamp, no second read
    book.count('other', 'x', 'producer-1', 'producer');
    await Promise.resolve();
    book.count('jobs', 'c', 'worker-0', 'worker');
    expect(reads).toBe(2);
    expect(book.list().map((t) => ({ topic: t.topic, publishers: Object.fromEntries(t.publishers), published: t.published, latest: t.latest }))).toEqual([
      { topic: 'jobs', publishers: { producer: 2, worker: 1 }, published: 3, latest: { data: 'c', from: 'worker-0', at: 11, truncated: false } },
      { topic: 'other', publishers: { producer: 1 }, published: 1, latest: { data: 'x', from: 'producer-1', at: 10, truncated: false } },
    ]);
    expect(book.publishedBy('producer')).toBe(3);
  });

  it('forgets the least recently published topic however topics alternate', () => {
    const book = new TopicBook(3);
    for (const topic of ['a', 'b', 'c', 'a', 'b', 'a', 'c', 'b', 'd']) book.published(msg(topic, '', 1), null); // a is oldest now
    expect(book.list().map((t) => t.topic)).toEqual(['b', 'c', 'd']);
    book.published(msg('e', '', 2), null); // then c
    expect(book.list().map((t) => t.topic)).toEqual(['b', 'd', 'e']);
    expect(book.evicted).toBe(2);
  });
});
