import { describe, expect, it } from 'vitest';
import { mergeReapLists, reapTargets, type ProcView } from './reap-plan.js';

interface FakeProc {
  readonly pid: number;
  readonly pgid: number;
  readonly start: string;
  readonly podId?: string;
  readonly runId?: string;
  readonly zombie?: boolean;
}

function view(procs: readonly FakeProc[]): ProcView {
  const living = procs.filter((p) => p.zombie !== true);
  return {
    startTime: (pid) => procs.find((p) => p.pid === pid)?.start ?? null,
    members: (pgid) => living.filter((p) => p.pgid === pgid).map((p) => p.pid),
    living: () => living.map(({ pid, pgid }) => ({ pid, pgid })),
    podIdOf: (pid) => procs.find((p) => p.pid === pid)?.podId ?? null,
    runIdOf: (pid) => procs.find((p) => p.pid === pid)?.runId ?? null,
  };
}

const SELF = 1;

describe('reapTargets', () => {
  it('takes a group whose leader is the process we started', () => {
    const list = { groups: [{ pgid: 100, start: '500', podId: 'a' }], spawning: [] };
    expect(reapTargets(list, view([{ pid: 100, pgid: 100, start: '500' }]), SELF)).toEqual([100]);
  });

  it('leaves a reused pid alone: same pid, other start time', () => {
    const list = { groups: [{ pgid: 100, start: '500', podId: 'a' }], spawning: [] };
    expect(reapTargets(list, view([{ pid: 100, pgid: 100, start: '900', podId: 'a' }]), SELF)).toEqual([]);
  });

  it('takes a leaderless group only while a member carries the pod id', () => {
    const list = { groups: [{ pgid: 100, start: '500', podId: 'a' }], spawning: [] };
    expect(reapTargets(list, view([{ pid: 101, pgid: 100, start: '510', podId: 'a' }]), SELF)).toEqual([100]);
    expect(reapTargets(list, view([{ pid: 101, pgid: 100, start: '510', podId: 'b' }]), SELF)).toEqual([]);
  });

  it('skips groups with no living member (a zombie leader only)', () => {
    const list = { groups: [{ pgid: 100, start: '500', podId: 'a' }], spawning: [] };
    expect(reapTargets(list, view([{ pid: 100, pgid: 100, start: '500', zombie: true }]), SELF)).toEqual([]);
  });

  it('finds a pod whose spawn had not returned by its id, never the reaper itself', () => {
    const procs = [
      { pid: 200, pgid: 200, start: '1', podId: 'new' },
      { pid: 201, pgid: 200, start: '2', podId: 'new' },
      { pid: 300, pgid: 300, start: '3', podId: 'other' },
      { pid: SELF, pgid: SELF, start: '0', podId: 'new' },
    ];
    expect(reapTargets({ groups: [], spawning: ['new'] }, view(procs), SELF)).toEqual([200]);
  });

  it('an id matches only as a whole value', () => {
    const procs = [{ pid: 200, pgid: 200, start: '1', podId: 'new-but-longer' }];
    expect(reapTargets({ groups: [], spawning: ['new'] }, view(procs), SELF)).toEqual([]);
    expect(reapTargets({ groups: [], spawning: [], run: 'r1' }, view([{ pid: 200, pgid: 200, start: '1', runId: 'r1-longer' }]), SELF)).toEqual([]);
  });

  it("finds every living process of the run by the run's id, in whatever group it is, never the reaper itself", () => {
    const procs = [
      { pid: 200, pgid: 200, start: '1', runId: 'r1', podId: 'unlisted' },
      { pid: 201, pgid: 200, start: '2', runId: 'r1' },
      { pid: 250, pgid: 250, start: '3', runId: 'r1', zombie: true },
      { pid: 260, pgid: 260, start: '3', runId: 'r1' },
      { pid: 300, pgid: 300, start: '4', runId: 'r2' },
      { pid: 400, pgid: 400, start: '5' },
      { pid: SELF, pgid: SELF, start: '0', runId: 'r1' },
    ];
    expect(reapTargets({ groups: [], spawning: [], run: 'r1' }, view(procs), SELF)).toEqual([200, 260]);
  });

  it('without a run id (a cleanly closed run, an older file) only listed groups and spawning pods count', () => {
    const procs = [{ pid: 200, pgid: 200, start: '1', runId: 'r1' }];
    expect(reapTargets({ groups: [], spawning: [], run: null }, view(procs), SELF)).toEqual([]);
    expect(reapTargets({ groups: [], spawning: [] }, view(procs), SELF)).toEqual([]);
  });
});

describe('mergeReapLists', () => {
  it('keeps each group and each spawning id once', () => {
    const a = { groups: [{ pgid: 1, start: 's', podId: 'a' }], spawning: ['x'] };
    const b = { groups: [{ pgid: 1, start: 's', podId: 'a' }, { pgid: 2, start: 't', podId: 'b' }], spawning: ['x', 'y'] };
    expect(mergeReapLists(a, b)).toEqual({ groups: [a.groups[0], b.groups[1]], spawning: ['x', 'y'], run: null });
  });

  it("keeps the run id of whichever list has one (the watchdog's messages carry none)", () => {
    const told = { groups: [], spawning: [] };
    expect(mergeReapLists(told, { groups: [], spawning: [], run: 'r1' }).run).toBe('r1');
    expect(mergeReapLists({ ...told, run: 'r2' }, told).run).toBe('r2');
  });
});
