import { parseArgs } from 'node:util';
import type { KillResult } from '../../control/api-types.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { EXIT, UsageError } from '../usage-error.js';

export const killHelp = `Usage: orchestrator kill POD [--force]

Sends one pod's process group its stop_signal (SIGKILL with --force). The pod is not stopped for
good: its exit counts as an ordinary one, so its controller restarts it per the task's restart
policy (a service gets a new process; its unacknowledged messages are redelivered).
  --force   SIGKILL instead of the stop_signal
${controlHelp}`;

export async function killCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, force: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError(`kill: expected one pod name (as in "orchestrator ps"), got ${positionals.length === 0 ? 'none' : `"${positionals.join(' ')}"`}`);
  const format = outputFormat(values.output);
  const pod = positionals[0] as string;
  const result = await clientFrom(values).call<KillResult>('POST', `/v1/pods/${encodeURIComponent(pod)}/kill`, { force: values.force === true });
  process.stdout.write(format === 'json' ? `${JSON.stringify(result)}\n` : `${result.pod}: sent ${result.signal}\n`);
  return EXIT.ok;
}
