import { describe, expect, test } from 'vitest';
import { ConfigError } from './errors.js';

describe('ConfigError.lines', () => {
  test('one line per problem, in order; the message is those lines joined', () => {
    const error = new ConfigError('CONFIG_INVALID', 'tasks.toml', [
      { path: 'tasks.a.replica', line: 3, column: 1, message: 'unknown key, did you mean "replicas"?' },
      { path: 'tasks.b', line: 5, column: null, message: 'missing required key "command"' },
      { path: '', line: null, column: null, message: 'file not found' },
    ]);
    expect(error.lines()).toEqual(['tasks.toml:3:1 tasks.a.replica: unknown key, did you mean "replicas"?', 'tasks.toml:5 tasks.b: missing required key "command"', 'tasks.toml file not found']);
    expect(error.message).toBe(error.lines().join('\n'));
    expect(error.format()).toBe(error.message);
  });
});
