import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from './process-group.js';
import { POD_ID_VAR, RUN_ID_VAR, type ProcView } from './reap-plan.js';

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

interface PodMarks {
  readonly podId: string | null;
  readonly runId: string | null;
}

const NO_MARKS: PodMarks = { podId: null, runId: null };

function marksOf(pid: number): PodMarks {
  let environ: string;
  try {
    // NUL-separated NAME=value pairs as the process was exec'd; unreadable for other users' processes.
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return NO_MARKS;
  }
  const value = (name: string): string | null => {
    const entry = environ.split('\0').find((e) => e.startsWith(`${name}=`));
    return entry === undefined ? null : entry.slice(name.length + 1);
  };
  return { podId: value(POD_ID_VAR), runId: value(RUN_ID_VAR) };
}

/** A snapshot of /proc taken now (Linux); environments are read on demand, each at most once. */
export function procSnapshot(): ProcView {
  const entries = scan();
  const byPid = new Map(entries.map((e) => [e.pid, e]));
  const living = entries.filter((e) => !e.zombie).map(({ pid, pgid }) => ({ pid, pgid }));
  const marks = new Map<number, PodMarks>();
  const marksFor = (pid: number): PodMarks => {
    let found = marks.get(pid);
    if (found === undefined) marks.set(pid, (found = marksOf(pid)));
    return found;
  };
  return {
    startTime: (pid) => byPid.get(pid)?.start ?? null,
    members: (pgid) => living.filter((e) => e.pgid === pgid).map((e) => e.pid),
    living: () => living,
    podIdOf: (pid) => marksFor(pid).podId,
    runIdOf: (pid) => marksFor(pid).runId,
  };
}
