/**
 * Pure parsers of Linux /proc text (proc(5)), for per-pod CPU and memory. No I/O here: the
 * sampler (usage-sampler.ts) reads the files and feeds them in.
 */

/** Kernel clock ticks per second as /proc reports times: USER_HZ, 100 on every Linux ABI Node runs on. */
export const TICKS_PER_SECOND = 100;

export interface ProcStat {
  readonly pid: number;
  readonly pgrp: number;
  /** utime + stime + cutime + cstime: the process's CPU time and that of the children it reaped, in ticks. */
  readonly ticks: number;
  /** When it started, in ticks after boot. */
  readonly startTicks: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain
 * spaces and parentheses, so the fields are counted from the last ')'. Null for anything else.
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // After ')': field 3 (state) is index 0, so field n is index n - 3.
  const f = text.slice(close + 2).trim().split(' ');
  const field = (n: number): number => Number(f[n - 3]);
  const values = { pgrp: field(5), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17), start: field(22) };
  if (!Number.isInteger(pid) || Object.values(values).some((v) => !Number.isFinite(v))) return null;
  return { pid, pgrp: values.pgrp, ticks: values.utime + values.stime + values.cutime + values.cstime, startTicks: values.start };
}

/** Resident bytes from /proc/<pid>/status (`VmRSS: 1234 kB`); null when absent (a zombie, a kernel thread). */
export function parseVmRss(text: string): number | null {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return m === null ? null : Number(m[1]) * 1024;
}

/** Seconds since boot from /proc/uptime (`12345.67 54321.00`). */
export function parseUptime(text: string): number | null {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(seconds) ? seconds : null;
}
