import { parseArgs } from 'node:util';
import type { ReloadSummary } from '../../control/api-types.js';
import { ControlClientError } from '../../control/errors.js';
import { clientFrom, controlHelp, controlOptions, outputFormat } from '../control-args.js';
import { EXIT, UsageError } from '../usage-error.js';

export const applyHelp = `Usage: orchestrator apply [--wait] [-o json]

Makes the running instance re-read its tasks.toml (same as SIGHUP or a change seen by
"run --watch") and apply the difference: new tasks start, removed ones drain and stop, a changed
pod template rolls one replica at a time, a replicas edit scales, subscription / mode changes take
effect without restarting pods, untouched tasks are not touched. An invalid file changes nothing:
its problems are printed and the exit code is 2.
  --wait   return once the rollouts, scaling and removals are finished
${controlHelp}`;

export async function applyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...controlOptions, wait: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(`apply: unexpected argument "${positionals[0] ?? ''}": apply reloads the file the instance runs; choose the instance with -f tasks.toml`);
  const format = outputFormat(values.output);
  try {
    const { summary } = await clientFrom(values).call<{ summary: ReloadSummary }>('POST', '/v1/apply', { wait: values.wait === true });
    if (format === 'json') process.stdout.write(`${JSON.stringify({ summary })}\n`);
    else process.stdout.write(`${describe(summary)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ControlClientError) || error.status !== 422) throw error;
    if (format === 'json') process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, problems: error.details } })}\n`);
    else process.stderr.write(`orchestrator: config not applied, nothing changed:\n${error.message}\n`);
    return EXIT.usage;
  }
}

function describe(s: ReloadSummary): string {
  const parts = (['added', 'removed', 'rolled', 'scaled', 'updated'] as const).filter((k) => s[k].length > 0).map((k) => `${k}: ${s[k].join(', ')}`);
  return parts.length === 0 ? 'applied: no changes' : `applied: ${parts.join('; ')}`;
}
