import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from './process-group.js';
import { POD_ID_VAR, type ProcView } from './reap-plan.js';

interface ProcEntry {
  readonly pid: number;
  readonly pgid: number;
  readonly zombie: boolean;
  readonly start: string;
}

function scan(): ProcEntry[] {
  const entries: ProcEntry[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return entries;
  }
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const fields = statFields(Number(name));
    if (fields === null) continue;
    entries.push({ pid: Number(name), pgid: Number(fields[2]), zombie: fields[0] === 'Z', start: fields[19] ?? '' });
  }
  return entries;
}

const POD_ID_PREFIX = `${POD_ID_VAR}=`;

function podIdOf(pid: number): string | null {
  let environ: string;
  try {
    // NUL-separated NAME=value pairs as the process was exec'd; unreadable for other users' processes.
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
  const entry = environ.split('\0').find((e) => e.startsWith(POD_ID_PREFIX));
  return entry === undefined ? null : entry.slice(POD_ID_PREFIX.length);
}

/** A snapshot of /proc taken now (Linux); environments are read on demand, each at most once. */
export function procSnapshot(): ProcView {
  const entries = scan();
  const byPid = new Map(entries.map((e) => [e.pid, e]));
  const living = entries.filter((e) => !e.zombie).map(({ pid, pgid }) => ({ pid, pgid }));
  const podIds = new Map<number, string | null>();
  return {
    startTime: (pid) => byPid.get(pid)?.start ?? null,
    members: (pgid) => living.filter((e) => e.pgid === pgid).map((e) => e.pid),
    living: () => living,
    podIdOf: (pid) => {
      if (!podIds.has(pid)) podIds.set(pid, podIdOf(pid));
      return podIds.get(pid) ?? null;
    },
  };
}
