/**
 * Which process groups a dead run left behind are verifiably still ours, decided from a view of
 * /proc that tests replace. A pid or pgid seen earlier is trusted only with proof it was not
 * reused: the leader's kernel start time, or the pod's ORCHESTRATOR_POD_ID or the run's
 * ORCHESTRATOR_RUN_ID in a process's environment (random ids no unrelated process carries).
 */

/** A group a pod leads: its pgid (= the leader's pid), the leader's start time and the pod's id. */
export interface GroupEntry {
  readonly pgid: number;
  readonly start: string;
  readonly podId: string;
}

/** What a run leaves to reap if it dies: the groups it runs and the pods whose spawn had not returned. */
export interface ReapList {
  readonly groups: readonly GroupEntry[];
  readonly spawning: readonly string[];
  /** The run's ORCHESTRATOR_RUN_ID, carried by every pod it started: any process with it is ours. */
  readonly run?: string | null;
}

export interface ProcView {
  /** Kernel start time of `pid` (zombies included), or null when no such process exists. */
  startTime(pid: number): string | null;
  /** Living (non-zombie) members of the group. */
  members(pgid: number): readonly number[];
  /** Living processes with their process group. */
  living(): ReadonlyArray<{ readonly pid: number; readonly pgid: number }>;
  /** The ORCHESTRATOR_POD_ID in the process's environment, or null (none, or not readable). */
  podIdOf(pid: number): string | null;
  /** The ORCHESTRATOR_RUN_ID in the process's environment, or null. */
  runIdOf(pid: number): string | null;
}

export const POD_ID_VAR = 'ORCHESTRATOR_POD_ID';
export const RUN_ID_VAR = 'ORCHESTRATOR_RUN_ID';

/** Union of two lists (the watchdog's messages and the state file), each group once. */
export function mergeReapLists(a: ReapList, b: ReapList): ReapList {
  const groups = new Map<number, GroupEntry>();
  for (const entry of [...a.groups, ...b.groups]) if (!groups.has(entry.pgid)) groups.set(entry.pgid, entry);
  return { groups: [...groups.values()], spawning: [...new Set([...a.spawning, ...b.spawning])], run: a.run ?? b.run ?? null };
}

/**
 * The pgids to signal. A listed group is ours while its leader is the process we started (same
 * start time); once the leader is gone, only while a living member still carries the pod's id (a
 * pgid is not reused while any member lives, but a freed one may lead a stranger's group). A pod
 * whose spawn had not returned is found by its id, and any process of the run by the run's id;
 * its group is whatever group it is in.
 */
export function reapTargets(list: ReapList, proc: ProcView, self: number): number[] {
  const targets = new Set<number>();
  for (const { pgid, start, podId } of list.groups) {
    const leaderStart = proc.startTime(pgid);
    const members = proc.members(pgid);
    if (members.length === 0) continue;
    if (leaderStart !== null ? leaderStart === start : podId !== '' && members.some((pid) => proc.podIdOf(pid) === podId)) targets.add(pgid);
  }
  const run = list.run ?? null;
  if (list.spawning.length > 0 || run !== null) {
    const spawning = new Set(list.spawning);
    for (const { pid, pgid } of proc.living()) {
      if (pid === self) continue;
      const podId = spawning.size === 0 ? null : proc.podIdOf(pid);
      if ((podId !== null && spawning.has(podId)) || (run !== null && proc.runIdOf(pid) === run)) targets.add(pgid);
    }
  }
  targets.delete(self);
  return [...targets];
}
