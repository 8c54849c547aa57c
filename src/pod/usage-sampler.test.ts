import { describe, expect, it } from 'vitest';
import { UsageSampler, type ProcReader } from './usage-sampler.js';

interface FakeProc {
  pid: number;
  pgrp: number;
  ticks: number;
  start: number;
  rssKb: number | null;
}

/** A /proc made of fixture text; `uptime` in seconds. */
function fakeProc(state: { uptime: number; procs: FakeProc[] }): ProcReader {
  const find = (pid: number): FakeProc => {
    const p = state.procs.find((x) => x.pid === pid);
    if (p === undefined) throw new Error('ENOENT');
    return p;
  };
  return {
    pids: () => state.procs.map((p) => p.pid),
    stat: (pid) => {
      const p = find(pid);
      return `${p.pid} (x) S 1 ${p.pgrp} ${p.pgrp} 0 -1 0 0 0 0 0 ${p.ticks} 0 0 0 20 0 1 0 ${p.start} 0 0`;
    },
    status: (pid) => {
      const p = find(pid);
      return p.rssKb === null ? 'Name:\tx\n' : `Name:\tx\nVmRSS:\t${p.rssKb} kB\n`;
    },
    uptime: () => `${state.uptime} 0.00\n`,
  };
}

describe('UsageSampler', () => {
  it('sums a process group, gives the lifetime average first and tick deltas after', () => {
    // Group 100: leader started at 10 s after boot, a child at 15 s; now 20 s after boot.
    const state = { uptime: 20, procs: [
      { pid: 100, pgrp: 100, ticks: 500, start: 1000, rssKb: 1000 },
      { pid: 101, pgrp: 100, ticks: 300, start: 1500, rssKb: 500 },
      { pid: 200, pgrp: 200, ticks: 5, start: 1000, rssKb: 10 },
      { pid: 300, pgrp: 300, ticks: 9999, start: 0, rssKb: 99 }, // not asked about
    ] };
    let now = 0;
    const sampler = new UsageSampler(fakeProc(state), () => now);
    // (500 + 300) ticks over the 10 s since the leader started: 80 % of one core.
    expect(Object.fromEntries(sampler.sample([100, 200]))).toEqual({ 100: { cpu: 80, rss: 1500 * 1024 }, 200: { cpu: 0.5, rss: 10 * 1024 } });

    // 2 s later: the leader used 150 ticks and reaped the child (whose 300 ticks move into its
    // cutime, so they are not counted again), and a new child used 50 ticks.
    now = 2000;
    state.uptime = 22;
    state.procs = [
      { pid: 100, pgrp: 100, ticks: 500 + 150 + 300, start: 1000, rssKb: 1000 },
      { pid: 102, pgrp: 100, ticks: 50, start: 2100, rssKb: 200 },
      { pid: 200, pgrp: 200, ticks: 5, start: 1000, rssKb: 10 },
    ];
    // (150 + 50) ticks over the 200-tick window: one core.
    expect(sampler.sample([100, 200]).get(100)).toEqual({ cpu: 100, rss: 1200 * 1024 });
    expect(sampler.sample([100, 200]).get(200)).toEqual({ cpu: 0, rss: 10 * 1024 });
  });

  it('treats a reused pid (another leader start time) as a new group: its average since it started', () => {
    const state = { uptime: 10, procs: [{ pid: 7, pgrp: 7, ticks: 100, start: 0, rssKb: 1 }] };
    let now = 0;
    const sampler = new UsageSampler(fakeProc(state), () => now);
    sampler.sample([7]);
    now = 2000;
    state.uptime = 12;
    state.procs = [{ pid: 7, pgrp: 7, ticks: 10, start: 1100, rssKb: 1 }];
    expect(sampler.sample([7]).get(7)?.cpu).toBe(10);
  });

  it('shares one sample between asks within a second', () => {
    const state = { uptime: 10, procs: [{ pid: 1, pgrp: 1, ticks: 100, start: 0, rssKb: 1 }] };
    let reads = 0;
    const proc = fakeProc(state);
    let now = 0;
    const sampler = new UsageSampler({ ...proc, pids: () => (reads++, proc.pids()) }, () => now);
    sampler.sample([1]);
    now = 999;
    sampler.sample([1]);
    expect(reads).toBe(1);
    now = 1000;
    sampler.sample([1]);
    expect(reads).toBe(2);
  });

  it('gives null for a group with no process, and for everything without /proc', () => {
    const sampler = new UsageSampler(fakeProc({ uptime: 10, procs: [] }), () => 0);
    expect(sampler.sample([5]).get(5)).toEqual({ cpu: null, rss: null });
    const none = new UsageSampler({ pids: () => { throw new Error('ENOENT'); }, stat: () => '', status: () => '', uptime: () => '' }, () => 0);
    expect(none.sample([5]).get(5)).toEqual({ cpu: null, rss: null });
  });

  it('falls back to the lifetime average when the previous sample is older than 30 s', () => {
    const state = { uptime: 100, procs: [{ pid: 1, pgrp: 1, ticks: 1000, start: 0, rssKb: 1 }] };
    let now = 0;
    const sampler = new UsageSampler(fakeProc(state), () => now);
    expect(sampler.sample([1]).get(1)?.cpu).toBe(10);
    now = 60_000;
    state.uptime = 160;
    state.procs[0]!.ticks = 1000 + 6000; // busy the whole minute, but the window is too old for a delta
    expect(sampler.sample([1]).get(1)?.cpu).toBe(43.8);
  });
});
