import { configJsonSchema } from '../../config/index.js';
import { EXIT } from '../usage-error.js';

export const schemaHelp = `Usage: orchestrator schema

Prints the JSON Schema of tasks.toml (generated from the validator's own definition). Point an
editor's TOML language server at it with a first line "#:schema ./node_modules/stdio-orchestrator/schema/tasks.schema.json".`;

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
