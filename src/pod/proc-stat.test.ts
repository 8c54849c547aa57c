import { describe, expect, it } from 'vitest';
import { parseStat, parseUptime, parseVmRss } from './proc-stat.js';

// Real lines from /proc, fields 1..24: pid (comm) state ppid pgrp session tty tpgid flags minflt
// cminflt majflt cmajflt utime stime cutime cstime priority nice threads itreal starttime vsize rss
const SLEEP = '4242 (sleep) S 4200 4200 4200 0 -1 4194304 90 0 0 0 7 3 2 1 20 0 1 0 123456 8359936 256 18446744073709551615';
const ODD = '77 (a) b (c)) R 1 70 70 0 -1 0 0 0 0 0 100 50 0 0 20 0 3 0 999 1 2 3';

describe('parseStat', () => {
  it('reads pid, process group, CPU ticks (own and reaped children) and start time', () => {
    expect(parseStat(SLEEP)).toEqual({ pid: 4242, pgrp: 4200, ticks: 7 + 3 + 2 + 1, startTicks: 123456 });
  });

  it('counts fields from the last parenthesis, so a command name with spaces and parentheses is fine', () => {
    expect(parseStat(ODD)).toEqual({ pid: 77, pgrp: 70, ticks: 150, startTicks: 999 });
  });

  it('gives null for text that is not a stat line', () => {
    expect(parseStat('')).toBeNull();
    expect(parseStat('garbage')).toBeNull();
    expect(parseStat('12 (x) S 1')).toBeNull();
  });
});

describe('parseVmRss', () => {
  it('reads VmRSS in bytes, and null when a process has none (zombie, kernel thread)', () => {
    expect(parseVmRss('Name:\tsleep\nVmPeak:\t 8164 kB\nVmRSS:\t     1024 kB\nRssAnon:\t 96 kB\n')).toBe(1024 * 1024);
    expect(parseVmRss('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeNull();
  });
});

describe('parseUptime', () => {
  it('reads the seconds since boot', () => {
    expect(parseUptime('35.25 60.10\n')).toBe(35.25);
    expect(parseUptime('nope')).toBeNull();
  });
});
