import { expect, test } from 'vitest';
import { configJsonSchema } from './json-schema.js';
import { TASK_KEYS } from './schema.js';

type Node = { properties?: Record<string, Node>; description?: string; default?: unknown; $ref?: string };

test('describes every task key, with defaults, as draft 2020-12', () => {
  const schema = configJsonSchema() as Node & { $schema: string; $defs: Record<string, Node>; required: string[] };
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(schema.required).toEqual(['tasks']);
  const task = schema.$defs['task'];
  expect(Object.keys(task?.properties ?? {})).toEqual(TASK_KEYS);
  expect(TASK_KEYS).toEqual(expect.arrayContaining(['command', 'replicas', 'subscribe', 'max_message_size', 'backoff', 'env_file']));
  for (const [key, property] of Object.entries(task?.properties ?? {})) {
    expect(property.description, key).toMatch(/\S/);
  }
  for (const [key, property] of Object.entries(task?.properties?.['backoff']?.properties ?? {})) {
    expect(property.description, key).toMatch(/\S/);
  }
  expect(task?.properties?.['grace_period']?.default).toBe('10s');
  expect(task?.properties?.['replicas']?.default).toBe(1);
  expect(schema.properties?.['defaults']?.$ref).toBe('#/$defs/task');
  expect(schema.properties?.['tasks']?.description).toMatch(/no dots/);
});
