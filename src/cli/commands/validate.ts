import { parseArgs } from 'node:util';
import { formatSummary, loadConfig } from '../../config/index.js';
import { EXIT } from '../usage-error.js';
import { configPathFrom } from './config-path.js';

export const validateHelp = `Usage: orchestrator validate [tasks.toml | -f tasks.toml]

Checks tasks.toml and the files it includes and prints "ok" with one line per task (naming the
included file a task comes from), or every problem found in every file (exit 2). An include glob
that matches nothing is a warning on stderr.`;

export function validateCommand(argv: string[]): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string', short: 'f' } } });
  const file = configPathFrom(values.file, positionals);
  const config = loadConfig(file);
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`ok: ${file}\n${formatSummary(config)}\n`);
  return EXIT.ok;
}
