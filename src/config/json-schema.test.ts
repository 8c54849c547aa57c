import { expect, test } from 'vitest';
import { configJsonSchema } from './json-schema.js';
import { TASK_KEYS } from './schema.js';

type Node = { properties?: Record<string, Node>; description?: string; default?: unknown; $ref?: string };

test('describes every task key, with defaults, as draft 2020-12', () => {
  const schema = configJsonSchema() as Node & { $schema: string; $defs: Record<string, Node>; required?: string[] };
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  // An included file may hold only [defaults] or includes: "no tasks at all" is the loader's check.
  expect(schema.required).toBeUndefined();
  expect(Object.keys(schema.properties ?? {})).toEqual(['include', 'defaults', 'tasks', 'bus']);
  const task = schema.$defs['task'];
  expect(Object.keys(task?.properties ?? {})).toEqual(TASK_KEYS);
  expect(TASK_KEYS).toEqual(expect.arrayContaining(['command', 'replicas', 'subscribe', 'max_message_size', 'backoff', 'env_file']));
  for (const [key, property] of Object.entries(task?.properties ?? {})) {
    expect(property.description, key).toMatch(/\S/);
  }
  for (const [key, property] of Object.entries(task?.properties?.['backoff']?.properties ?? {})) {
    expect(property.description, key).toMatch(/\S/);
  }
  const alive = task?.properties?.['alive'];
  for (const [key, property] of Object.entries(alive?.properties ?? {})) expect(property.description, `alive.${key}`).toMatch(/\S/);
  expect(Object.keys(alive?.properties ?? {})).toEqual(['exec', 'http', 'tcp', 'period', 'timeout', 'failure_threshold']);
  expect(task?.properties?.['ready']?.default).toBe('started');
  expect(task?.properties?.['log_buffer']?.default).toBe(1000);
  // Its default depends on `restart`, so the schema must not advertise a single one.
  expect(task?.properties?.['max_restarts']?.default).toBeUndefined();
  expect(task?.properties?.['grace_period']?.default).toBe('10s');
  expect(task?.properties?.['replicas']?.default).toBe(1);
  expect(schema.properties?.['defaults']?.$ref).toBe('#/$defs/task');
  // A restricted string also takes a `${VAR}` string; its annotations stay on the outer node.
  expect(task?.properties?.['restart']).toEqual({
    anyOf: [{ type: 'string', enum: ['always', 'on-failure', 'never'] }, { $ref: '#/$defs/interpolated' }],
    description: 'When an exited pod is restarted: always, only after a non-zero exit or a signal, or never.',
    default: 'always',
  });
  expect(schema.$defs['interpolated']).toMatchObject({ type: 'string', pattern: String.raw`(?:^|[^$])(?:\$\$)*\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}` });
  expect(schema.properties?.['tasks']?.description).toMatch(/no dots/);
});
