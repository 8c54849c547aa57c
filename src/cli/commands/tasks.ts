import { parseArgs } from 'node:util';
import type { TaskInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { formatAge, formatTable } from '../table.js';
import { EXIT } from '../usage-error.js';

export const tasksHelp = `Usage: orchestrator tasks [-o json]

One row per task: NAME DESIRED CURRENT READY MODE QUEUED IN-FLIGHT OLDEST DEAD DROPPED STALLED
(OLDEST = age of the oldest queued message, DEAD = messages dead-lettered so far, listed by
"orchestrator dead TASK", DROPPED = messages discarded or rejected so far, by reason in -o json,
STALLED = pods not reading stdin).
An autoscaled task shows DESIRED as "3 (0-8)" (its target and autoscale bounds), and a line
below the table says why it last changed: "thumbnailer: scaled 0 → 3: 57 queued (4s ago)".
On a NATS bus QUEUED and IN-FLIGHT are the whole project's, read from the server (every
instance's pods); the other counts are this instance's.
${controlHelp}`;

export async function tasksCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: controlOptions });
  const format = outputFormat(values.output);
  const { tasks } = await clientFrom(values).call<{ tasks: TaskInfo[] }>('GET', '/v1/tasks');
  const now = Date.now();
  const table = formatTable(
    ['NAME', 'DESIRED', 'CURRENT', 'READY', 'MODE', 'QUEUED', 'IN-FLIGHT', 'OLDEST', 'DEAD', 'DROPPED', 'STALLED'],
    tasks.map((t) => [t.name, t.autoscale === undefined ? String(t.desired) : `${t.desired} (${t.autoscale.min}-${t.autoscale.max})`, String(t.current), String(t.ready), t.mode, String(t.queued), String(t.inFlight), t.oldestQueuedAt === null ? '-' : formatAge(now - t.oldestQueuedAt), String(t.deadLettered), String(t.dropped + t.rejected), String(t.stalled)]),
  );
  const scaling = tasks.flatMap((t) => {
    const last = t.autoscale?.lastChange;
    if (t.autoscale === undefined) return [];
    return [last === null || last === undefined ? `${t.name}: autoscaled, not scaled yet` : `${t.name}: scaled ${last.from} → ${last.to}: ${last.reason} (${formatAge(now - last.at)} ago)`];
  });
  process.stdout.write(`${format === 'json' ? JSON.stringify({ tasks }) : [table, ...scaling].join('\n')}\n`);
  return EXIT.ok;
}
