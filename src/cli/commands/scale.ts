import { parseArgs } from 'node:util';
import { clientFrom, controlHelp, controlOptions, outputFormat, parseScaleArgs } from '../control-args.js';
import { EXIT } from '../usage-error.js';

export const scaleHelp = `Usage: orchestrator scale TASK=N [TASK=N...] [--wait] [-o json]

Sets replica counts at run time (0 allowed: messages wait in the queue). Scaling down removes idle
pods first; a busy pod stops receiving, finishes its in-flight messages, then stops gracefully.
  --wait   return once the removed pods are gone
${controlHelp}`;

export async function scaleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, wait: { type: 'boolean' }  } });
  const format = outputFormat(values.output);
  const replicas = parseScaleArgs(positionals);
  const result = await clientFrom(values).call<{ scaled: Array<{ task: string; from: number; to: number }> }>('POST', '/v1/scale', { replicas, wait: values.wait === true });
  if (format === 'json') process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const s of result.scaled) process.stdout.write(`${s.task} scaled${s.from === s.to ? ` (already ${s.to})` : ` from ${s.from} to ${s.to}`}\n`);
  return EXIT.ok;
}
