import { readdirSync, readFileSync } from 'node:fs';
import { parseStat, parseUptime, parseVmRss, TICKS_PER_SECOND, type ProcStat } from './proc-stat.js';

/** CPU and memory of one process group. */
export interface GroupUsage {
  /** % of one core over the last sample window (lifetime average on the first sample); null without /proc. */
  readonly cpu: number | null;
  /** Resident bytes summed over the group's processes; null without /proc. */
  readonly rss: number | null;
}

/** What the sampler reads; tests pass fixture text. Each function throws when the file is gone. */
export interface ProcReader {
  pids(): number[];
  stat(pid: number): string;
  status(pid: number): string;
  uptime(): string;
}

export const procFs: ProcReader = {
  pids: () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number),
  stat: (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8'),
  status: (pid) => readFileSync(`/proc/${pid}/status`, 'utf8'),
  uptime: () => readFileSync('/proc/uptime', 'utf8'),
};

/** Two asks closer than this share one sample, so several viewers cost one /proc scan. */
export const MIN_SAMPLE_INTERVAL_MS = 1000;
/** A previous sample older than this is too stale for a delta: the lifetime average is used instead. */
export const MAX_DELTA_WINDOW_MS = 30_000;

const UNKNOWN: GroupUsage = { cpu: null, rss: null };

/** A group's CPU ticks at a sample, and its leader's start (a reused pid is another group). */
interface GroupTotal {
  readonly ticks: number;
  readonly leaderStart: number;
}

/**
 * Per process group CPU and RSS from /proc, computed only when asked (no timer of its own): the
 * watch stream asks once a second, `ps` and `/metrics` when they are called. CPU is the delta of
 * the group's total ticks between two samples. Totals include what members reaped (cutime,
 * cstime), so a helper that exits within the group moves its ticks to its parent instead of
 * losing them or counting them twice. The first sample of a group, or one after a long pause,
 * gives the average since the group started, as ps(1) does. A scan is
 * O(processes on the machine) and reads `status` only for members of the groups asked about.
 * Without /proc (macOS) every value is null.
 */
export class UsageSampler {
  private last: { at: number; uptime: number; totals: Map<number, GroupTotal>; result: Map<number, GroupUsage>; groups: string } | null = null;
  private available = true;

  constructor(
    private readonly proc: ProcReader = procFs,
    private readonly now: () => number = Date.now,
  ) {}

  /** Usage of each group led by one of `pgids` (a pod's pid is its group id). */
  sample(pgids: readonly number[]): ReadonlyMap<number, GroupUsage> {
    const key = [...pgids].sort((a, b) => a - b).join(',');
    const now = this.now();
    if (this.last !== null && this.last.groups === key && now - this.last.at < MIN_SAMPLE_INTERVAL_MS) return this.last.result;
    const result = new Map<number, GroupUsage>();
    if (!this.available || pgids.length === 0) {
      for (const g of pgids) result.set(g, UNKNOWN);
      return result;
    }
    const scan = this.scan(new Set(pgids));
    if (scan === null) {
      this.available = false;
      return this.sample(pgids);
    }
    const previous = this.last !== null && now - this.last.at <= MAX_DELTA_WINDOW_MS ? this.last : null;
    const totals = new Map<number, GroupTotal>();
    for (const pgid of pgids) {
      const members = scan.members.get(pgid) ?? [];
      if (members.length === 0) {
        result.set(pgid, UNKNOWN);
        continue;
      }
      let ticks = 0;
      let rss = 0;
      let oldestStart = Infinity;
      for (const member of members) {
        ticks += member.stat.ticks;
        rss += member.rss ?? 0;
        oldestStart = Math.min(oldestStart, member.stat.startTicks);
      }
      const leaderStart = members.find((m) => m.stat.pid === pgid)?.stat.startTicks ?? oldestStart;
      totals.set(pgid, { ticks, leaderStart });
      const before = previous?.totals.get(pgid);
      // The same group as last time (not a reused pid): the delta over the window; else the average since it started.
      const [used, window] =
        previous !== null && before !== undefined && before.leaderStart === leaderStart
          ? [Math.max(0, ticks - before.ticks), (scan.uptime - previous.uptime) * TICKS_PER_SECOND]
          : [ticks, scan.uptime * TICKS_PER_SECOND - oldestStart];
      result.set(pgid, { cpu: window > 0 ? round1((used / window) * 100) : 0, rss });
    }
    this.last = { at: now, uptime: scan.uptime, totals, result, groups: key };
    return result;
  }

  /** The members of the wanted groups, with their RSS; null when /proc cannot be read at all. */
  private scan(wanted: ReadonlySet<number>): { uptime: number; members: Map<number, Array<{ stat: ProcStat; rss: number | null }>> } | null {
    let pids: number[];
    let uptime: number | null;
    try {
      pids = this.proc.pids();
      uptime = parseUptime(this.proc.uptime());
    } catch {
      return null;
    }
    if (uptime === null) return null;
    const members = new Map<number, Array<{ stat: ProcStat; rss: number | null }>>();
    for (const pid of pids) {
      let stat: ProcStat | null;
      try {
        stat = parseStat(this.proc.stat(pid));
      } catch {
        continue; // exited while we looked
      }
      if (stat === null || !wanted.has(stat.pgrp)) continue;
      let rss: number | null = null;
      try {
        rss = parseVmRss(this.proc.status(pid));
      } catch {
        rss = null;
      }
      const list = members.get(stat.pgrp) ?? [];
      list.push({ stat, rss });
      members.set(stat.pgrp, list);
    }
    return { uptime, members };
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
