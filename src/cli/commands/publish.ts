import { parseArgs } from 'node:util';
import { text } from 'node:stream/consumers';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { EXIT, UsageError } from '../usage-error.js';

export const publishHelp = `Usage: orchestrator publish TOPIC [DATA]

Publishes DATA (or all of stdin when DATA is omitted; multi-line allowed, one trailing newline
removed) on TOPIC, as if the orchestrator had published it (from = null).
${controlHelp}`;

export async function publishCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: controlOptions });
  const format = outputFormat(values.output);
  const [topic, data, ...extra] = positionals;
  if (topic === undefined) throw new UsageError('publish: expected TOPIC [DATA]');
  if (extra.length > 0) throw new UsageError('publish: DATA must be one argument (quote it), or give it on stdin');
  const body = data ?? (await text(process.stdin)).replace(/\r?\n$/, '');
  const result = await clientFrom(values).call<{ topic: string }>('POST', '/v1/publish', { topic, data: body });
  process.stdout.write(format === 'json' ? `${JSON.stringify(result)}\n` : `published on ${result.topic}\n`);
  return EXIT.ok;
}
