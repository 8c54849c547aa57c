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

/**
 * Per process group CPU and RSS from /proc, computed only when asked (no timer of its own): the
 * watch stream asks once a second, `ps` and `/metrics` when they are called. CPU is the tick
 * delta of the group's processes between two samples (ticks of children a member reaped count,
 * through cutime/cstime, so a short-lived helper process is not lost); the first sample, or one
 * after a long pause, gives the average since each process started, as ps(1) does. A scan is
 * O(processes on the machine) and reads `status` only for members of the groups asked about.
 * Without /proc (macOS) every value is null.
 */
export class UsageSampler {
  private last: { at: number; uptime: number; ticks: Map<string, number>; result: Map<number, GroupUsage>; groups: string } | null = null;
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
    const ticks = new Map<string, number>();
    for (const pgid of pgids) {
      const members = scan.members.get(pgid) ?? [];
      let used = 0;
      let rss: number | null = members.length === 0 ? null : 0;
      let oldestStart = Infinity;
      for (const { stat, rss: bytes } of members) {
        const id = `${stat.pid}:${stat.startTicks}`;
        ticks.set(id, stat.ticks);
        oldestStart = Math.min(oldestStart, stat.startTicks);
        if (previous === null) used += stat.ticks;
        else {
          const before = previous.ticks.get(id);
          // A process unseen before started within the window (or joined the group): all its ticks are new.
          if (before !== undefined) used += Math.max(0, stat.ticks - before);
          else if (stat.startTicks >= previous.uptime * TICKS_PER_SECOND) used += stat.ticks;
        }
        if (rss !== null && bytes !== null) rss += bytes;
      }
      const windowTicks = previous === null ? scan.uptime * TICKS_PER_SECOND - oldestStart : (scan.uptime - previous.uptime) * TICKS_PER_SECOND;
      const cpu = members.length === 0 ? null : windowTicks > 0 ? round1((used / windowTicks) * 100) : 0;
      result.set(pgid, { cpu, rss });
    }
    this.last = { at: now, uptime: scan.uptime, ticks, result, groups: key };
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
