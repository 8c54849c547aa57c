import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { describeBus, resolveBusSettings } from '../../app/bus-settings.js';
import { formatSummary, loadConfig } from '../../config/index.js';
import { EXIT } from '../usage-error.js';
import { configPathFrom } from './config-path.js';

export const validateHelp = `Usage: orchestrator validate [tasks.toml | -f tasks.toml]

Checks tasks.toml and the files it includes and prints "ok" with one line per task (naming the
included file a task comes from), or every problem found in every file (exit 2). An include glob
that matches nothing is a warning on stderr. With a [bus] table, one more line shows the bus a run
would use (server URLs redacted, the kind of credential found in NATS_TOKEN,
NATS_USER/NATS_PASSWORD or NATS_CREDS, never its value).`;

export function validateCommand(argv: string[]): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string', short: 'f' } } });
  const file = configPathFrom(values.file, positionals);
  const config = loadConfig(file);
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  const bus = config.bus === null ? '' : `\n${describeBus(resolveBusSettings(config.bus, {}, process.env, hostname()))}`;
  process.stdout.write(`ok: ${file}\n${formatSummary(config)}${bus}\n`);
  return EXIT.ok;
}
