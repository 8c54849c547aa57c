import { parseArgs } from 'node:util';
import type { TaskInfo } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { formatAge, formatTable } from '../table.js';
import { EXIT } from '../usage-error.js';

export const tasksHelp = `Usage: orchestrator tasks [-o json]

One row per task: NAME DESIRED CURRENT READY MODE QUEUED IN-FLIGHT OLDEST DEAD DROPPED STALLED
(OLDEST = age of the oldest queued message, DEAD = messages dead-lettered so far, DROPPED =
messages discarded or rejected so far, by reason in -o json, STALLED = pods not reading stdin).
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
    tasks.map((t) => [t.name, String(t.desired), String(t.current), String(t.ready), t.mode, String(t.queued), String(t.inFlight), t.oldestQueuedAt === null ? '-' : formatAge(now - t.oldestQueuedAt), String(t.deadLettered), String(t.dropped + t.rejected), String(t.stalled)]),
  );
  process.stdout.write(`${format === 'json' ? JSON.stringify({ tasks }) : table}\n`);
  return EXIT.ok;
}
