/**
 * The watchdog's reap phase: `node watchdog.js STATE_FILE ORCHESTRATOR_PID`. While the orchestrator
 * lives, the watchdog is a shell loop (watchdog-script.ts); when its pipe closes without `bye` (the
 * orchestrator died abruptly: SIGKILL, OOM) the shell execs this, in the same process, and feeds it
 * on stdin what it still knows, one line each in the orchestrator's protocol: `? PODID` (spawn
 * under way), `+ PGID STARTTIME PODID` (spawned), `! PODID` (spawn failed), `- PGID` (group gone).
 * At the end of that input it adds what the state file lists, sends SIGTERM to every group that is
 * verifiably still ours, SIGKILL after a short grace, and exits. Linux only (reads /proc so that a
 * reused pid is never signalled). It reads the same lines from the orchestrator itself just as well,
 * and exits without reaping on `bye`.
 *
 * The orchestrator's pipe closes only once every process holding its write end is gone or has
 * exec'd, so a pod forked in the instant the orchestrator died has exec'd (and carries its
 * ORCHESTRATOR_POD_ID) by the time the shell sees the end and we look for it.
 */
import { groupAlive, trySignal } from './process-group.js';
import { procSnapshot } from './proc-view.js';
import { mergeReapLists, reapTargets, type GroupEntry } from './reap-plan.js';
import { readStateFile } from './state-file.js';

const TERM_GRACE_MS = 1000;
const [statePath, orchestratorPid] = process.argv.slice(2);
const groups = new Map<number, GroupEntry>();
const spawning = new Set<string>();
let pending = '';
let clean = false;

// The terminal's Ctrl-C and hang-up are the orchestrator's to handle, not ours.
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(signal, () => {});

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let newline = pending.indexOf('\n');
  while (newline !== -1) {
    handle(pending.slice(0, newline));
    pending = pending.slice(newline + 1);
    newline = pending.indexOf('\n');
  }
});
process.stdin.on('end', () => void reap());
process.stdin.on('error', () => void reap());

function handle(line: string): void {
  const [op, a, b, c] = line.split(' ');
  if (op === 'bye') clean = true;
  else if (op === '?' && a !== undefined) spawning.add(a);
  else if (op === '!' && a !== undefined) spawning.delete(a);
  else if (op === '+' && a !== undefined && b !== undefined) {
    groups.set(Number(a), { pgid: Number(a), start: b, podId: c ?? '' });
    if (c !== undefined) spawning.delete(c);
  } else if (op === '-' && a !== undefined) groups.delete(Number(a));
}

async function reap(): Promise<void> {
  if (clean) process.exit(0);
  const told = { groups: [...groups.values()], spawning: [...spawning] };
  const state = statePath === undefined ? null : readStateFile(statePath);
  // The file may already belong to a newer run in the same directory; only our orchestrator's counts.
  const list = state !== null && String(state.pid) === orchestratorPid ? mergeReapLists(told, state) : told;
  const targets = reapTargets(list, procSnapshot(), process.pid);
  for (const pgid of targets) trySignal(pgid, 'SIGTERM');
  const deadline = Date.now() + TERM_GRACE_MS;
  while (Date.now() < deadline && targets.some(groupAlive)) await new Promise((r) => setTimeout(r, 25));
  for (const pgid of targets) trySignal(pgid, 'SIGKILL');
  process.exit(0);
}
