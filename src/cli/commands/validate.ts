import { parseArgs } from 'node:util';
import { formatSummary, loadConfig } from '../../config/index.js';
import { EXIT } from '../usage-error.js';
import { configPathFrom } from './config-path.js';

export const validateHelp = `Usage: orchestrator validate [tasks.toml | -f tasks.toml]

Checks tasks.toml and prints "ok" with one line per task, or every problem found (exit 2).`;

export function validateCommand(argv: string[]): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { file: { type: 'string', short: 'f' } } });
  const file = configPathFrom(values.file, positionals);
  const config = loadConfig(file);
  process.stdout.write(`ok: ${file}\n${formatSummary(config)}\n`);
  return EXIT.ok;
}
