import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { describeBus, resolveBusSettings } from '../../app/bus-settings.js';
import { formatSummary, loadConfig } from '../../config/index.js';
import { EXIT } from '../usage-error.js';
import { configPathFrom } from './config-path.js';

export const validateHelp = `Usage: orchestrator validate [tasks.toml | -f tasks.toml]

Checks tasks.toml and prints "ok" with one line per task, or every problem found (exit 2).
With a [bus] table, one more line shows the bus a run would use (server URLs redacted, the kind
of credential found in NATS_TOKEN, NATS_USER/NATS_PASSWORD or NATS_CREDS, never its value).`;

export function validateCommand(argv: string[]): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string', short: 'f' } } });
  const file = configPathFrom(values.file, positionals);
  const config = loadConfig(file);
  const bus = config.bus === null ? '' : `\n${describeBus(resolveBusSettings(config.bus, {}, process.env, hostname()))}`;
  process.stdout.write(`ok: ${file}\n${formatSummary(config)}${bus}\n`);
  return EXIT.ok;
}
