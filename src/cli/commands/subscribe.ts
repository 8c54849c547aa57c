import { parseArgs } from 'node:util';
import type { PublishedMessage } from '../../control/target.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { clockTime } from '../terminal.js';
import { EXIT, UsageError } from '../usage-error.js';

export const subscribeHelp = `Usage: orchestrator subscribe PATTERN... [-o json]

Prints every message published on a matching topic (NATS wildcards: "*" one token, ">" the rest)
until Ctrl-C. Observing takes nothing away from the pods: no queue, no ack.
Lines: "HH:MM:SS.mmm TOPIC [from POD]: DATA"; -o json prints one JSON object per message.
${controlHelp}`;

export async function subscribeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: controlOptions });
  const format = outputFormat(values.output);
  if (positionals.length === 0) throw new UsageError('subscribe: expected at least one topic pattern');
  const query = positionals.map((p) => `topic=${encodeURIComponent(p)}`).join('&');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  await clientFrom(values).stream(
    'GET',
    `/v1/subscribe?${query}`,
    (item) => {
      const m = item as PublishedMessage;
      process.stdout.write(format === 'json' ? `${JSON.stringify(m)}\n` : `${clockTime(m.publishedAt)} ${m.topic}${m.from === null ? '' : ` [from ${m.from}]`}: ${m.data}\n`);
    },
    { signal: abort.signal },
  );
  if (abort.signal.aborted) return EXIT.ok;
  process.stderr.write('orchestrator: the instance stopped; stream ended\n');
  return EXIT.failed;
}
