import { parseArgs } from 'node:util';
import { clientFrom, controlHelp, controlOptions } from '../control-args.js';
import { EXIT } from '../usage-error.js';

export const stopHelp = `Usage: orchestrator stop [--force]

Stops the running instance like Ctrl-C: every pod gets its stop_signal, SIGKILL after its
grace_period (at once with --force). Returns once every pod has stopped; the "run" process then
exits with code 0 ("stopped via the API").
${controlHelp}`;

export async function stopCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...controlOptions, force: { type: 'boolean' }  } });
  let stopped = false;
  await clientFrom(values).stream('POST', '/v1/stop', (item) => {
    if ((item as { stopped?: boolean }).stopped === true) stopped = true;
  }, { body: { force: values.force === true } });
  process.stdout.write(stopped ? 'stopped\n' : 'stop requested; the instance went away before confirming\n');
  return stopped ? EXIT.ok : EXIT.failed;
}
