import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import type { ReplyMessage } from '../../control/api-types.js';
import { parseDuration } from '../../util/duration.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { EXIT, UsageError } from '../usage-error.js';

export const requestHelp = `Usage: orchestrator request TOPIC [DATA] [--timeout 5s]

Publishes DATA (or all of stdin when DATA is omitted, one trailing newline removed) on TOPIC from
the orchestrator and prints the data of the reply: the message on TOPIC.result that acknowledges
it (sent by a round_robin subscriber of TOPIC). With -o json, the whole reply as JSON.

Exit codes: 0 a reply came; 1 none within --timeout (default 5s), or no task subscribes to TOPIC
("no responders": nothing is published); 2 usage error.
      --timeout DURATION  how long to wait for the reply (e.g. 500ms, 30s; at most 1h)
${controlHelp}`;

export async function requestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, timeout: { type: 'string', default: '5s' } } });
  const format = outputFormat(values.output);
  const [topic, data, ...extra] = positionals;
  if (topic === undefined) throw new UsageError('request: expected TOPIC [DATA]');
  if (extra.length > 0) throw new UsageError('request: DATA must be one argument (quote it), or give it on stdin');
  const timeout = parseDuration(values.timeout);
  if (!timeout.ok) throw new UsageError(`--timeout: ${timeout.error}`);
  if (timeout.value < 1 || timeout.value > 3_600_000) throw new UsageError(`--timeout: expected a duration from 1ms to 1h, got "${values.timeout}"`);
  const body = data ?? (await text(process.stdin)).replace(/\r?\n$/, '');
  const { reply } = await clientFrom(values).call<{ reply: ReplyMessage }>('POST', '/v1/request', { topic, data: body, timeout_ms: timeout.value });
  // Pod bytes never reach the terminal raw: control characters shown visibly; -o json has the exact data.
  process.stdout.write(format === 'json' ? `${jsonLine(reply)}\n` : `${safeText(reply.data)}\n`);
  return EXIT.ok;
}
