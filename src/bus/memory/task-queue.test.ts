import { describe, expect, it } from 'vitest';
import { newEntry, Parcel } from '../routing/parcel.js';
import type { Delivery } from '../transport.js';
import { TaskQueue } from './task-queue.js';

let n = 0;
/** An entry of weight topic "t" (1) + data. */
const entry = (data: string): Delivery => newEntry(new Parcel({ id: `m${++n}`, topic: 't', data, from: null, publishedAt: 0 }));
const datas = (q: TaskQueue): string[] => [...q].map((e) => e.parcel.message.data);

function queue(overflow: 'block' | 'drop_oldest' | 'reject', maxQueueBytes: number, maxQueue = 100) {
  const dropped: string[] = [];
  const rejected: string[] = [];
  const q = new TaskQueue(maxQueue, overflow, {
    dropped: (e) => void dropped.push(e.parcel.message.data),
    rejected: (e) => void rejected.push(e.parcel.message.data),
  }, maxQueueBytes);
  return { q, dropped, rejected };
}

describe('TaskQueue byte budget (max_queue_bytes)', () => {
  it('tracks the weight of what it holds through offer, shift, requeueFront and drain', () => {
    const { q } = queue('block', 1000);
    q.offer(entry('aaaa')); // 5
    q.offer(entry('bb')); // 3
    expect(q.bytes).toBe(8);
    const head = q.shift() as Delivery;
    expect(q.bytes).toBe(3);
    q.requeueFront([head]);
    expect(q.bytes).toBe(8);
    q.drain();
    expect(q.bytes).toBe(0);
  });

  it('block: queues everything, blocks publishers once the bytes reach the budget', () => {
    const { q } = queue('block', 10);
    q.offer(entry('1234')); // 5
    expect(q.blocksPublishers).toBe(false);
    q.offer(entry('1234')); // 10
    expect(q.blocksPublishers).toBe(true);
    q.offer(entry('1234')); // 15: accepted anyway (the publisher is paused after it)
    expect(q.length).toBe(3);
    q.shift();
    expect(q.blocksPublishers).toBe(true);
    q.shift();
    expect(q.blocksPublishers).toBe(false);
  });

  it('drop_oldest: evicts from the head until the new message fits', () => {
    const { q, dropped } = queue('drop_oldest', 10);
    for (const d of ['aa', 'bb', 'cc']) q.offer(entry(d)); // 9
    q.offer(entry('dddddd')); // 7: needs 'aa' and 'bb' out
    expect(dropped).toEqual(['aa', 'bb']);
    expect(datas(q)).toEqual(['cc', 'dddddd']);
    expect(q.bytes).toBe(10);
  });

  it('reject: refuses a message that does not fit, takes a smaller one', () => {
    const { q, rejected } = queue('reject', 10);
    q.offer(entry('123456')); // 7
    q.offer(entry('1234')); // 12 > 10: rejected
    q.offer(entry('12')); // 10: fits
    expect(rejected).toEqual(['1234']);
    expect(datas(q)).toEqual(['123456', '12']);
  });

  it('an empty queue takes one message heavier than the budget (else it could never be delivered)', () => {
    for (const overflow of ['block', 'drop_oldest', 'reject'] as const) {
      const { q, dropped, rejected } = queue(overflow, 4);
      q.offer(entry('0123456789'));
      expect(datas(q)).toEqual(['0123456789']);
      expect([dropped, rejected]).toEqual([[], []]);
      expect(q.blocksPublishers).toBe(overflow === 'block');
    }
  });

  it('the entry bound still applies with a large byte budget', () => {
    const { q, rejected } = queue('reject', 1_000_000, 2);
    for (const d of ['a', 'b', 'c']) q.offer(entry(d));
    expect(rejected).toEqual(['c']);
  });
});

describe('TaskQueue bounds are exact for publishers that ask first (refuses)', () => {
  it('block: a publisher that offers only what is not refused never sees more than max_queue entries', () => {
    const { q } = queue('block', Number.POSITIVE_INFINITY, 100);
    let maxDepth = 0;
    let held = 0;
    for (let i = 0; i < 1000; i++) {
      const e = entry(String(i));
      if (q.refuses(1 + e.parcel.message.data.length)) held++;
      else q.offer(e);
      maxDepth = Math.max(maxDepth, q.length);
      if (i % 7 === 0) q.shift(); // a consumer taking some meanwhile
    }
    expect(maxDepth).toBe(100);
    expect(held).toBeGreaterThan(0);
    expect(q.blocksPublishers).toBe(true);
  });

  it('block: refuses what would pass max_queue_bytes, and keeps blocking until that weight fits', () => {
    const { q } = queue('block', 10);
    q.offer(entry('1234')); // 5
    expect(q.refuses(5)).toBe(false);
    expect(q.refuses(6)).toBe(true); // 11 > 10
    expect(q.blocksPublishers).toBe(true); // room for 5 more is not room for the refused 6
    q.offer(entry('12')); // 8: smaller messages still fit
    q.shift(); // 3
    expect(q.blocksPublishers).toBe(false);
    q.offer(entry('12345')); // 9: the refused weight was queued, so only the plain bound counts again
    expect(q.refuses(1)).toBe(false);
    expect(q.refuses(2)).toBe(true);
  });

  it('an empty queue refuses nothing; drop_oldest and reject never refuse (they apply per message in offer)', () => {
    expect(queue('block', 4).q.refuses(100)).toBe(false);
    for (const overflow of ['drop_oldest', 'reject'] as const) {
      const { q } = queue(overflow, 10, 1);
      q.offer(entry('1'));
      expect(q.refuses(100)).toBe(false);
    }
  });

  it('drop_oldest / reject: exactly max_queue after every offer', () => {
    for (const overflow of ['drop_oldest', 'reject'] as const) {
      const { q, dropped, rejected } = queue(overflow, Number.POSITIVE_INFINITY, 100);
      let maxDepth = 0;
      for (let i = 0; i < 1000; i++) {
        q.offer(entry(String(i)));
        maxDepth = Math.max(maxDepth, q.length);
      }
      expect(maxDepth).toBe(100);
      expect(dropped.length + rejected.length).toBe(900);
    }
  });
});
