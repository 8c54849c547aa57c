import { readdirSync, readFileSync } from 'node:fs';

/** Sends `signal` to every process in the group led by `pgid`. False when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Like signalGroup, but a group we may not signal (EPERM) counts as not signalled instead of throwing. */
export function trySignal(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    return signalGroup(pgid, signal);
  } catch {
    return false;
  }
}

/**
 * True while any process of the group is still running. Zombies do not count: they are dead,
 * and an init that reaps slowly (containers) must not hold up a stop.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return livingGroups().has(pgid);
}

const SCAN_TTL_MS = 10;
let scannedAt = -Infinity;
let scanned = new Set<number>();

/** Process groups with at least one non-zombie member; one /proc scan shared by all callers per tick. */
function livingGroups(): ReadonlySet<number> {
  const now = performance.now();
  if (now - scannedAt < SCAN_TTL_MS) return scanned;
  const groups = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No procfs: trust kill(2), zombies included.
    return { has: () => true } as unknown as ReadonlySet<number>;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const fields = statFields(Number(entry));
    if (fields === null || fields[0] === 'Z') continue;
    groups.add(Number(fields[2]));
  }
  scanned = groups;
  scannedAt = now;
  return groups;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, …], or null. */
export function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses; fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}


/**
 * The kernel's start time of `pid` (clock ticks since boot, /proc/PID/stat field 22), or null.
 * Together with the pid it identifies a process across pid reuse.
 */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}
