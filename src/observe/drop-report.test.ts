import { describe, expect, it } from 'vitest';
import { describeDrops, DropReport, type DropLine } from './drop-report.js';
import { VirtualClock } from '../testing/virtual-clock.js';

function setup(): { clock: VirtualClock; lines: DropLine[]; report: DropReport } {
  const clock = new VirtualClock();
  const lines: DropLine[] = [];
  return { clock, lines, report: new DropReport(clock, (l) => lines.push(l), 1000) };
}

const limits = { overflow: 'drop_oldest', maxQueue: 1000 };

describe('DropReport', () => {
  it('reports the first overflow drop at once, then one summary per interval however many follow', () => {
    const { clock, lines, report } = setup();
    report.note('worker', 'overflow');
    expect(lines).toEqual([{ task: 'worker', reason: 'overflow', count: 1, total: 1, sinceMs: null }]);
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 10_000; i++) report.note('worker', 'overflow');
      clock.advance(1000);
    }
    expect(lines.map((l) => [l.count, l.total, l.sinceMs])).toEqual([
      [1, 1, null],
      [10_000, 10_001, 1000],
      [10_000, 20_001, 1000],
      [10_000, 30_001, 1000],
    ]);
    expect(report.totals('worker')).toEqual({ overflow: 30_001 });
  });

  it('after a quiet interval the next drop is reported at once again, and the timer stops', () => {
    const { clock, lines, report } = setup();
    report.note('w', 'overflow');
    clock.advance(1000); // nothing pending: no line, timer not re-armed
    expect(clock.pending).toBe(0);
    clock.advance(5000);
    report.note('w', 'overflow');
    expect(lines.map((l) => [l.count, l.total, l.sinceMs])).toEqual([
      [1, 1, null],
      [1, 2, 6000],
    ]);
  });

  it('batch reasons are never reported per message: flush reports them in one line', () => {
    const { clock, lines, report } = setup();
    for (let i = 0; i < 500; i++) report.note('old', 'task-removed');
    expect(lines).toEqual([]);
    report.flush('old');
    expect(lines).toEqual([{ task: 'old', reason: 'task-removed', count: 500, total: 500, sinceMs: null }]);
    clock.advance(1000);
    expect(lines).toHaveLength(1); // flushed: nothing left for the timer
  });

  it('batch reasons left unflushed are reported at the end of the interval', () => {
    const { clock, lines, report } = setup();
    for (let i = 0; i < 3; i++) report.note('job', 'job-finished');
    clock.advance(999);
    expect(lines).toEqual([]);
    clock.advance(1);
    expect(lines).toEqual([{ task: 'job', reason: 'job-finished', count: 3, total: 3, sinceMs: null }]);
  });

  it('close reports everything pending and leaves no timer', () => {
    const { clock, lines, report } = setup();
    report.note('a', 'overflow');
    report.note('a', 'overflow');
    report.note('b', 'rejected');
    report.note('c', 'pod-gone');
    clock.advance(300);
    report.close();
    expect(lines.map((l) => `${l.task}:${l.reason}:${l.count}/${l.total}`)).toEqual(['a:overflow:1/1', 'b:rejected:1/1', 'a:overflow:1/2', 'c:pod-gone:1/1']);
    expect(clock.pending).toBe(0);
  });

  it('keeps totals per reason', () => {
    const { report } = setup();
    report.note('w', 'overflow');
    report.note('w', 'job-finished');
    report.note('w', 'job-finished');
    expect(report.totals('w')).toEqual({ overflow: 1, 'job-finished': 2 });
    expect(report.totals('none')).toEqual({});
  });
});

describe('describeDrops', () => {
  it('words a summary line with thousands separators', () => {
    expect(describeDrops({ task: 'worker', reason: 'overflow', count: 18_342, total: 186_007, sinceMs: 1000 }, limits)).toBe(
      'worker: dropped 18,342 messages (overflow = "drop_oldest", max_queue 1000) in the last 1s; 186,007 in all',
    );
  });

  it('words first lines and the other reasons', () => {
    expect(describeDrops({ task: 'worker', reason: 'overflow', count: 1, total: 1, sinceMs: null }, limits)).toBe('worker: dropped 1 message (overflow = "drop_oldest", max_queue 1000)');
    expect(describeDrops({ task: 'w', reason: 'rejected', count: 2, total: 5, sinceMs: 1500 }, { overflow: 'reject', maxQueue: 3 })).toBe(
      'w: rejected 2 messages (overflow = "reject", max_queue 3) in the last 1.5s; 5 in all',
    );
    expect(describeDrops({ task: 'old', reason: 'task-removed', count: 1234, total: 1234, sinceMs: null }, null)).toBe('old: dropped 1,234 messages (the task was removed)');
    expect(describeDrops({ task: 'sink', reason: 'job-finished', count: 5, total: 5, sinceMs: null }, null)).toBe('sink: dropped 5 messages (sink has finished: nothing will read them)');
  });
});
