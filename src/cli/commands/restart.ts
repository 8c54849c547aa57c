import { parseArgs } from 'node:util';
import type { RestartResult } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { EXIT, UsageError } from '../usage-error.js';

export const restartHelp = `Usage: orchestrator restart TASK... [--no-wait] [-o json]

Rolling restart: one replica at a time, a new pod (taking the lowest free replica index) starts,
and once it runs the old pod stops receiving, finishes its in-flight messages and stops.
Waits until every replica was replaced, unless --no-wait.
${controlHelp}`;

export async function restartCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, 'no-wait': { type: 'boolean' }, wait: { type: 'boolean' } } });
  // --wait (the default) is still accepted; --no-wait returns once the roll has started.
  const wait = values['no-wait'] !== true;
  const format = outputFormat(values.output);
  if (positionals.length === 0) throw new UsageError('restart: expected a task name');
  const client = clientFrom(values);
  const results = await Promise.all(positionals.map((task) => client.call<RestartResult>('POST', `/v1/tasks/${encodeURIComponent(task)}/restart`, { wait })));
  for (const r of results) {
    if (format === 'json') process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (!wait) process.stdout.write(`${r.task}: rolling restart started\n`);
    else process.stdout.write(`${r.task}: ${r.superseded ? 'restart superseded by a newer one' : 'restarted'}${r.replaced.length > 0 ? ` (replaced ${r.replaced.join(', ')})` : ''}\n`);
  }
  return EXIT.ok;
}
