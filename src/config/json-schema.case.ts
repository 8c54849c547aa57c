import { Ajv2020 } from 'ajv/dist/2020.js';
import { ConfigError } from './errors.js';
import { configJsonSchema } from './json-schema.js';
import { load } from './load-from-memory.case.js';

/**
 * The generated schema as a real consumer sees it: compiled by ajv's draft 2020-12 build in strict
 * mode (unknown keywords and formats are errors; `type` arrays are standard, so allowed), with
 * every error collected.
 */
export function schemaChecker() {
  const schema: Record<string, unknown> = { $id: 'tasks', ...configJsonSchema() };
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  const validate = ajv.compile(schema);
  return {
    schema,
    /** Problems the schema reports for `document` ("" = accepted), as `path: message`. */
    problems(document: unknown): string[] {
      if (validate(document)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
    },
    /** Problems the sub-schema at a JSON pointer of the schema (e.g. "/$defs/task") reports for `value`. */
    problemsAt(pointer: string, value: unknown): string[] {
      const sub = ajv.getSchema(`tasks#${pointer}`);
      if (sub === undefined) throw new Error(`no schema at ${pointer}`);
      if (sub(value)) return [];
      return (sub.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
    },
  };
}

/** Problems loadConfig reports for `text` as ./tasks.toml ([] = loaded), as `path: message`. */
export function loaderProblems(text: string, env: Record<string, string> = {}): string[] {
  try {
    load(text, {}, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}
