import { parseArgs } from 'node:util';
import type { RecordedEvent } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { clockTime } from '../terminal.js';
import { EXIT } from '../usage-error.js';

export const eventsHelp = `Usage: orchestrator events [-f] [-o json]

Lifecycle events, oldest first (the last 1000): pods started / exited / restarting / stopped,
scaling, rolling restarts, reloads, watched files changing, dead-lettered messages.
  -f, --follow   keep printing new events until Ctrl-C (-o json: one JSON object per line)
${controlHelp}`;

export async function eventsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...controlOptions, follow: { type: 'boolean', short: 'f' }  } });
  const format = outputFormat(values.output);
  const print = (e: RecordedEvent): void => {
    // A message may quote pod text (a topic, a reason): shown safely, like pod output.
    process.stdout.write(format === 'json' ? `${jsonLine(e)}\n` : `${new Date(e.at).toISOString().slice(0, 10)} ${clockTime(e.at)}  ${e.type.padEnd(16)} ${safeText(e.message)}\n`);
  };
  const client = clientFrom(values);
  if (values.follow !== true) {
    const { events } = await client.call<{ events: RecordedEvent[] }>('GET', '/v1/events');
    if (format === 'json') process.stdout.write(`${jsonLine({ events })}\n`);
    else for (const e of events) print(e);
    return EXIT.ok;
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  await client.stream('GET', '/v1/events?follow=true', (item) => print(item as RecordedEvent), { signal: abort.signal });
  return EXIT.ok;
}
