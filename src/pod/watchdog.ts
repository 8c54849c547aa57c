/**
 * Standalone watchdog process. The orchestrator starts it with a pipe on stdin and tells it, one
 * line per change, which process groups it runs (`+ PGID STARTTIME`, `- PGID`). When the pipe
 * closes without a final `bye` line, the orchestrator died abruptly (SIGKILL, OOM): the watchdog
 * sends SIGTERM to every group it knows, SIGKILL after a short grace, and exits. Linux only
 * (reads /proc to make sure a reused pid is never signalled).
 */
import { groupAlive, processStartTime, signalGroup } from './process-group.js';

const TERM_GRACE_MS = 1000;
const groups = new Map<number, string>();
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
  const [op, pgid, start] = line.split(' ');
  if (op === 'bye') clean = true;
  else if (op === '+' && pgid !== undefined && start !== undefined) groups.set(Number(pgid), start);
  else if (op === '-' && pgid !== undefined) groups.delete(Number(pgid));
}

/** Still ours: the leader is gone (the group cannot have been reused) or is the same process. */
function ours(pgid: number, start: string): boolean {
  const now = processStartTime(pgid);
  return now === null || now === start;
}

async function reap(): Promise<void> {
  if (clean) process.exit(0);
  const targets = [...groups].filter(([pgid, start]) => ours(pgid, start)).map(([pgid]) => pgid);
  for (const pgid of targets) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + TERM_GRACE_MS;
  while (Date.now() < deadline && targets.some(groupAlive)) await new Promise((r) => setTimeout(r, 25));
  for (const pgid of targets) signalGroup(pgid, 'SIGKILL');
  process.exit(0);
}
