import { parseArgs } from 'node:util';
import type { PublishedMessage } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { lostSignal, type StdioGuard } from '../stdio-guard.js';
import { clockTime } from '../terminal.js';
import { EXIT, exitCodeForSignal, UsageError } from '../usage-error.js';

export const subscribeHelp = `Usage: orchestrator subscribe PATTERN... [-o json]

Prints every message published on a matching topic (NATS wildcards: "*" one token, ">" the rest)
until Ctrl-C. Observing takes nothing away from the pods: no queue, no ack.
Lines: "HH:MM:SS.mmm TOPIC [from POD]: DATA"; -o json prints one JSON object per message.
Control characters in DATA (and any escape sequence) are shown escaped, a line break as \\n, ESC as
\\e, others as \\xNN, so one message is one line; -o json escapes them as JSON does.
${controlHelp}`;

export async function subscribeCommand(argv: string[], stdio: StdioGuard): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: controlOptions });
  const format = outputFormat(values.output);
  if (positionals.length === 0) throw new UsageError('subscribe: expected at least one topic pattern');
  const query = positionals.map((p) => `topic=${encodeURIComponent(p)}`).join('&');
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  stdio.onLost(() => abort.abort());
  await clientFrom(values).stream(
    'GET',
    `/v1/subscribe?${query}`,
    (item) => {
      const m = item as PublishedMessage;
      stdio.stdout.write(format === 'json' ? `${jsonLine(m)}\n` : `${clockTime(m.publishedAt)} ${safeText(m.topic)}${m.from === null ? '' : ` [from ${safeText(m.from)}]`}: ${safeText(m.data)}\n`);
    },
    { signal: abort.signal },
  );
  if (stdio.lost !== null) return exitCodeForSignal(lostSignal(stdio.lost));
  if (abort.signal.aborted) return EXIT.ok;
  process.stderr.write('orchestrator: the instance stopped; stream ended\n');
  return EXIT.failed;
}
