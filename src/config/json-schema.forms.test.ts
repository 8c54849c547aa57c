import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import { expandVariables } from './expand.js';
import { loaderProblems, schemaChecker } from './json-schema.case.js';
import { INTERPOLATION_PATTERN, SchemaPatternFlagError, tasksFileJsonSchema } from './json-schema.js';
import { TASK_KEYS } from './schema.js';

/**
 * Value forms the docs promise, checked against the generated JSON schema (ajv, draft 2020-12)
 * and the loader alike: sizes, every default the schema advertises, and `${VAR}` strings. Driven
 * by the schema itself, so a new key is covered without touching this file.
 */

const checker = schemaChecker();

type Node = Record<string, unknown>;
const taskProperties = (checker.schema.$defs as Record<string, Node>)['task']?.['properties'] as Record<string, Node>;

/** A file with one task `t` whose keys are `keys` (a command is added unless given). */
function taskFile(keys: Record<string, unknown>): string {
  return stringify({ tasks: { t: { command: 'true', ...keys } } });
}

/** Both judges on one file: [schema problems, loader problems]. */
function judge(text: string, env: Record<string, string> = {}): [string[], string[]] {
  return [checker.problems(parse(text)), loaderProblems(text, env)];
}

const accepted: [string[], string[]] = [[], []];

describe('sizes', () => {
  const docs = ['README.md', 'docs/tasks-toml.md'].map((f) => readFileSync(path.join(process.cwd(), f), 'utf8')).join('\n');
  const documented = [...docs.matchAll(/"(\d+(?:\.\d+)? ?[KMG]?i?B)"/g)].map((m) => m[1] ?? '');
  const forms = [...new Set([...documented, '2 MiB', '2 mib', '1gib', '10kb', '1.5MiB', ' 64KiB ', '0.5KiB', '010B'])];

  test('the docs show several', () => {
    expect(forms).toEqual(expect.arrayContaining(['512KiB', '1MiB', '64KB', '100B', '2MiB', '64KiB']));
  });

  test.each(forms)('%j is a size for the schema and the loader', (size) => {
    expect(judge(taskFile({ max_message_size: size, max_queue_bytes: size }))).toEqual(accepted);
  });

  test.each([['1 potato'], ['MiB'], ['0x10'], ['1e3B'], ['0KiB'], ['0.0B'], ['00 MiB'], [0], [1.5]])('%j is a size for neither', (size) => {
    const [schema, loader] = judge(taskFile({ max_message_size: size }));
    expect(schema).not.toEqual([]);
    expect(loader).toEqual([expect.stringMatching(/^tasks\.t\.max_message_size: /)]);
  });
});

describe('defaults', () => {
  /** Every `default` in the schema, with the JSON pointer of the node that declares it. */
  function defaults(node: unknown, pointer: string): Array<[string, unknown]> {
    if (typeof node !== 'object' || node === null) return [];
    const own: Array<[string, unknown]> = 'default' in node ? [[pointer, (node as Node)['default']]] : [];
    const nested = Object.entries(node).flatMap(([key, child]) => (key === 'default' ? [] : defaults(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)));
    return [...own, ...nested];
  }
  const all = defaults(checker.schema, '');

  test('the schema advertises defaults for most task keys', () => {
    expect(Object.keys(taskProperties).filter((key) => 'default' in (taskProperties[key] ?? {})).length).toBeGreaterThan(TASK_KEYS.length / 2);
    expect(all.length).toBeGreaterThan(TASK_KEYS.length / 2);
  });

  test.each(all)('%s: the default %j satisfies its own schema', (pointer, value) => {
    expect(checker.problemsAt(pointer, value)).toEqual([]);
  });

  test('a task that writes out every advertised default passes the schema and the loader', () => {
    const keys = Object.fromEntries(Object.entries(taskProperties).flatMap(([key, node]) => ('default' in node ? [[key, node['default']]] : [])));
    expect(judge(taskFile(keys))).toEqual(accepted);
  });
});

describe('${VAR} strings', () => {
  /** Task keys whose schema restricts strings (enums, patterns): only these need the interpolation branch. */
  const restricted = Object.entries(taskProperties).filter(([, node]) => JSON.stringify(node).includes('"$ref":"#/$defs/interpolated"'));
  const withStringDefault = restricted.filter(([, node]) => typeof node['default'] === 'string');

  test('every restricted string key accepts an interpolated string', () => {
    expect(withStringDefault.map(([key]) => key)).toEqual(expect.arrayContaining(['restart', 'grace_period', 'stop_signal', 'mode', 'max_message_size', 'max_queue_bytes', 'ready']));
  });

  test.each(withStringDefault.map(([key, node]) => [key, String(node['default'])] as const))('%s = "${V}" (V=%j) and "${UNSET:-…}" pass the schema and the loader', (key, value) => {
    expect(judge(taskFile({ [key]: '${V}' }), { V: value })).toEqual(accepted);
    expect(judge(taskFile({ [key]: `\${UNSET:-${value}}` }))).toEqual(accepted);
  });

  test.each([
    ['ack_timeout', '${ACK:-30s}'],
    ['grace_period', '${SECONDS:-10}s'],
    ['depends_on', { d: '${CONDITION:-completed}' }],
    ['backoff', { base: '${BASE:-1s}', max: '${MAX:-5s}' }],
    ['ready', { http: 'http://127.0.0.1:${PORT:-8080}/health', period: '${PERIOD:-100ms}' }],
  ])('%s = %j passes the schema and the loader', (key, value) => {
    const text = `${taskFile({ [key]: value })}\n[tasks.d]\ncommand = "true"\nrestart = "never"\n`;
    expect(judge(text)).toEqual(accepted);
  });

  test.each(Object.entries(taskProperties).filter(([, node]) => node['type'] === 'integer' || node['type'] === 'boolean'))(
    '%s = "${N}" is an error for both: expansion always yields a string',
    (key, node) => {
      const [schema, loader] = judge(taskFile({ [key]: '${N}' }), { N: node['type'] === 'boolean' ? 'true' : '10' });
      expect(schema).not.toEqual([]);
      expect(loader).toEqual([expect.stringMatching(new RegExp(`^tasks\\.t\\.${key}: expected `))]);
    },
  );

  test('"$${R}" is a literal, not a reference: an error for both in an enum', () => {
    const [schema, loader] = judge(taskFile({ restart: '$${R}' }), { R: 'never' });
    expect(schema).not.toEqual([]);
    expect(loader).toEqual([expect.stringMatching(/^tasks\.t\.restart: expected one of /)]);
  });

  test('task names are keys, never expanded: "${NAME}" is an invalid name for both', () => {
    const [schema, loader] = judge('[tasks."${NAME}"]\ncommand = "true"\n', { NAME: 'web' });
    expect(schema).not.toEqual([]);
    expect(loader).toEqual([expect.stringMatching(/^tasks\."\$\{NAME\}": invalid task name/)]);
  });

  test('INTERPOLATION_PATTERN matches exactly the strings whose expansion depends on the environment', () => {
    const alphabet = fc.constantFrom('$', '{', '}', ':', '-', 'A', '_', '1', 'x', ' ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 14 }).map((chars) => chars.join('')), (text) => {
        const one = expandVariables(text, () => '\u0001');
        const two = expandVariables(text, () => '\u0002');
        // A string the loader cannot expand is an error at load time whatever the schema says.
        fc.pre(one.ok && two.ok);
        expect(INTERPOLATION_PATTERN.test(text)).toBe(one.value !== two.value);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('tasksFileJsonSchema', () => {
  test('refuses a regular expression with flags, which a JSON Schema pattern would silently lose', () => {
    const flagged = z.strictObject({ tasks: z.record(z.string(), z.strictObject({ size: z.string().regex(/^\d+mib$/i) })) });
    expect(() => tasksFileJsonSchema(flagged)).toThrow(SchemaPatternFlagError);
    expect(() => tasksFileJsonSchema(flagged)).toThrow(/^the regular expression \/\^\\d\+mib\$\/i at .*size has flags, which a JSON Schema pattern cannot carry: spell the cases out instead$/);
  });
});
