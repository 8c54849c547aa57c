import { describe, expect, it } from 'vitest';
import { RowDiffer, WatchOutbox, type OutboxSink } from './watch-core.js';

describe('RowDiffer', () => {
  it('sends every row first, then only rows whose JSON changed, and the keys that went', () => {
    const differ = new RowDiffer<{ name: string; n: number }>((r) => r.name);
    expect(differ.diff([{ name: 'a', n: 1 }, { name: 'b', n: 1 }])).toEqual({ changed: [{ name: 'a', n: 1 }, { name: 'b', n: 1 }], gone: [] });
    expect(differ.diff([{ name: 'a', n: 1 }, { name: 'b', n: 1 }])).toEqual({ changed: [], gone: [] });
    expect(differ.diff([{ name: 'a', n: 2 }, { name: 'c', n: 0 }])).toEqual({ changed: [{ name: 'a', n: 2 }, { name: 'c', n: 0 }], gone: ['b'] });
  });
});

/** A socket whose reader the test controls: `buffered` is what it has not taken yet. */
function fakeSink(): OutboxSink & { lines: unknown[]; buffered: () => number; take(): void; destroyed: boolean; backlog: number } {
  const sink = {
    lines: [] as unknown[],
    backlog: 0,
    destroyed: false,
    buffered: () => sink.backlog,
    write: (text: string) => {
      sink.lines.push(JSON.parse(text));
      sink.backlog += text.length;
    },
    take: () => {
      sink.backlog = 0;
    },
    destroy: () => {
      sink.destroyed = true;
    },
  };
  return sink;
}

const limits = { dropAbove: 100, resumeBelow: 50, cutAbove: 400 };

describe('WatchOutbox', () => {
  it('drops log and event lines while the reader lags, counts them, and says how many once it caught up', () => {
    const sink = fakeSink();
    let dropped = 0;
    const outbox = new WatchOutbox(sink, (n) => (dropped += n), limits);
    for (let i = 0; i < 20; i++) outbox.droppable({ type: 'log', i }); // ~26 bytes each: the first few fit
    const written = sink.lines.length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(20);
    expect(dropped).toBe(20 - written);
    expect(outbox.lagging).toBe(true);
    // Still lagging until the backlog is below resumeBelow, even when under dropAbove again.
    sink.backlog = 60;
    outbox.droppable({ type: 'log', i: 99 });
    expect(dropped).toBe(21 - written);
    sink.take();
    outbox.droppable({ type: 'log', i: 100 });
    expect(sink.lines.slice(written)).toEqual([{ type: 'lagged', dropped: 21 - written }, { type: 'log', i: 100 }]);
    expect(outbox.lagging).toBe(false);
  });

  it('memory stays bounded whatever is offered to a reader that never reads', () => {
    const sink = fakeSink();
    const outbox = new WatchOutbox(sink, () => {}, limits);
    for (let i = 0; i < 10_000; i++) outbox.droppable({ type: 'log', line: 'x'.repeat(50) });
    expect(sink.backlog).toBeLessThanOrEqual(limits.dropAbove + 100);
    for (let i = 0; i < 10_000; i++) outbox.essential({ type: 'changed', pods: ['x'.repeat(50)] });
    expect(sink.destroyed).toBe(true);
    expect(sink.backlog).toBeLessThanOrEqual(limits.cutAbove + 100);
  });

  it('writes essential lines (snapshot, rows, heartbeats) while lagging, until the cut-off', () => {
    const sink = fakeSink();
    const outbox = new WatchOutbox(sink, () => {}, limits);
    sink.backlog = 150;
    outbox.droppable({ type: 'log' });
    outbox.essential({ type: 'heartbeat', at: 1 });
    expect(sink.lines).toEqual([{ type: 'heartbeat', at: 1 }]);
    expect(sink.destroyed).toBe(false);
  });
});
