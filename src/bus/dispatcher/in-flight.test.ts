import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../testing/virtual-clock.js';
import { InFlight } from './in-flight.js';
import { newEntry, Parcel } from '../routing/parcel.js';
import type { Delivery } from '../transport.js';

const entry = (topic: string, data: string): Delivery =>
  newEntry(new Parcel({ id: data, topic, data, from: null, publishedAt: 0 }));

describe('InFlight', () => {
  it('acknowledges the oldest held entry of the topic, leaving the others in order', () => {
    const held = new InFlight(new VirtualClock(1_000), null, () => {});
    for (const [t, d] of [['a', '1'], ['b', '2'], ['a', '3']] as const) held.add(entry(t, d));
    expect(held.ack('a')?.parcel.message.data).toBe('1');
    expect(held.ack('c')).toBeUndefined();
    expect(held.takeAll().map((e) => e.parcel.message.data)).toEqual(['2', '3']);
    expect(held.size).toBe(0);
  });

  it('acknowledges by id exactly the named entry of that topic, never another', () => {
    const held = new InFlight(new VirtualClock(1_000), null, () => {});
    for (const [t, d] of [['a', '1'], ['a', '2'], ['b', '3']] as const) held.add(entry(t, d));
    expect(held.ackId('2', 'a')?.parcel.message.data).toBe('2');
    expect(held.ackId('2', 'a')).toBeUndefined(); // already acknowledged
    expect(held.ackId('3', 'a')).toBeUndefined(); // held, but on "b"
    expect(held.ackId('9', 'a')).toBeUndefined();
    expect(held.takeAll().map((e) => e.parcel.message.data)).toEqual(['1', '3']);
  });

  it('turning the timeout on while holding starts the clock at that moment', () => {
    const timers = new VirtualClock(1_000);
    const fired: string[] = [];
    const held = new InFlight(timers, null, (e, elapsed) => fired.push(`${e.parcel.message.data}@${elapsed}`));
    held.add(entry('a', '1'));
    expect(timers.pending).toBe(0);
    timers.advance(500);
    held.setTimeoutMs(100);
    timers.advance(99);
    expect(fired).toEqual([]);
    timers.advance(1);
    expect(fired).toEqual(['1@100']);
    held.setTimeoutMs(null);
    held.add(entry('a', '2'));
    timers.advance(1_000);
    expect(fired).toEqual(['1@100']);
    expect(timers.pending).toBe(0);
  });

  it('takeAll stops the timer', () => {
    const timers = new VirtualClock(1_000);
    const held = new InFlight(timers, 100, () => {
      throw new Error('must not fire');
    });
    held.add(entry('a', '1'));
    expect(timers.pending).toBe(1);
    held.takeAll();
    expect(timers.pending).toBe(0);
    timers.advance(1_000);
  });
});
