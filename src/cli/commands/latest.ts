import { parseArgs } from 'node:util';
import type { PublishedMessage } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { jsonLine, safeText } from '../safe-text.js';
import { EXIT, UsageError } from '../usage-error.js';

export const latestHelp = `Usage: orchestrator latest TOPIC

Prints the data of the latest message published on TOPIC that the orchestrator retains (the one
"system.latest" and replay_latest give pods); with -o json, the whole message, or null.

Exit codes: 0 printed; 1 no message retained for TOPIC (nothing printed; -o json prints null);
2 usage error.
${controlHelp}`;

export async function latestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: controlOptions });
  const format = outputFormat(values.output);
  const [topic, ...extra] = positionals;
  if (topic === undefined || extra.length > 0) throw new UsageError('latest: expected one TOPIC');
  const { message } = await clientFrom(values).call<{ message: PublishedMessage | null }>('GET', `/v1/latest?topic=${encodeURIComponent(topic)}`);
  // Pod bytes never reach the terminal raw: control characters shown visibly; -o json has the exact data.
  if (format === 'json') process.stdout.write(`${jsonLine(message)}\n`);
  else if (message !== null) process.stdout.write(`${safeText(message.data)}\n`);
  else process.stderr.write(`orchestrator: no message retained for ${JSON.stringify(topic)}\n`);
  return message === null ? EXIT.failed : EXIT.ok;
}
