import * as z from 'zod';
import { FileSchema } from './schema.js';

/**
 * JSON Schema (draft 2020-12) of tasks.toml, generated from the validator's own zod schema so the
 * two cannot drift. It describes the file as written (durations as strings, all keys optional
 * except `tasks`); rules that need code (subscription patterns, backoff max >= base, a required
 * `command` that [defaults] may supply) are checked only by loadConfig.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
}
