import { describe, expect, it } from 'vitest';
import { LatestWriter } from './latest-writer.js';

/** A send whose completions the test releases one by one. */
function manualSend(): { sent: [string, string][]; release(i?: number): Promise<void>; send: (s: string, p: string) => Promise<unknown> } {
  const sent: [string, string][] = [];
  const resolvers: (() => void)[] = [];
  return {
    sent,
    send: (subject, payload) => {
      sent.push([subject, payload]);
      return new Promise<void>((resolve) => resolvers.push(resolve));
    },
    release: async (i = 0) => {
      resolvers.splice(i, 1)[0]?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('LatestWriter', () => {
  it('one write per topic at a time; a burst collapses to its newest message, written last', async () => {
    const m = manualSend();
    const writer = new LatestWriter(m.send);
    for (const v of ['1', '2', '3', '4']) writer.write('a', v);
    writer.write('b', 'x');
    expect(m.sent).toEqual([['a', '1'], ['b', 'x']]);
    expect(writer.pending).toBe(3);
    await m.release();
    expect(m.sent).toEqual([['a', '1'], ['b', 'x'], ['a', '4']]);
    await m.release();
    await m.release();
    expect(writer.pending).toBe(0);
    expect(m.sent).toHaveLength(3);
  });

  it('idle resolves once nothing is on its way or waiting, also after a failed send', async () => {
    let fail = true;
    const writer = new LatestWriter(() => (fail ? Promise.reject(new Error('away')) : Promise.resolve()));
    writer.write('a', 1);
    writer.write('a', 2);
    fail = false;
    let idle = false;
    void writer.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect([idle, writer.pending]).toEqual([true, 0]);
    await writer.idle();
  });
});
