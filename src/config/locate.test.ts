import { describe, expect, test } from 'vitest';
import { SourceLocator } from './locate.js';

const source = [
  /* 1 */ '# header comment [tasks.fake]',
  /* 2 */ 'title = "x = 1"',
  /* 3 */ '[defaults]',
  /* 4 */ '  restart = "never"',
  /* 5 */ '',
  /* 6 */ '[tasks.web]',
  /* 7 */ 'command = ["node", "server.mjs"]',
  /* 8 */ 'backoff = { base = "1s", max = "2s" }',
  /* 9 */ 'subscribe = [',
  /* 10 */ '  "jobs",  # first',
  /* 11 */ '  "images.>",',
  /* 12 */ ']',
  /* 13 */ 'notes = """',
  /* 14 */ 'replicas = 99',
  /* 15 */ '"""',
  /* 16 */ 'replicas = 2',
  /* 17 */ '',
  /* 18 */ '[ tasks . "web.api" ]',
  /* 19 */ "env.'PORT' = \"1\"",
  /* 20 */ '[[tasks.arr]]',
  /* 21 */ 'replicas = 5',
  /* 22 */ '[tasks.db]',
  /* 23 */ 'tasks.x = 1',
].join('\n');

describe('SourceLocator', () => {
  const locator = new SourceLocator(source);
  test.each([
    [['defaults'], 3, 2],
    [['defaults', 'restart'], 4, 3],
    [['tasks'], 6, 2],
    [['tasks', 'web'], 6, 8],
    [['tasks', 'web', 'command'], 7, 1],
    [['tasks', 'web', 'command', 1], 7, 20],
    [['tasks', 'web', 'backoff', 'max'], 8, 26],
    [['tasks', 'web', 'subscribe', 0], 10, 3],
    [['tasks', 'web', 'subscribe', 1], 11, 3],
    [['tasks', 'web', 'replicas'], 16, 1],
    [['tasks', 'web.api'], 18, 11],
    [['tasks', 'web.api', 'env'], 19, 1],
    [['tasks', 'web.api', 'env', 'PORT'], 19, 5],
    [['tasks', 'db', 'tasks', 'x'], 23, 7],
  ] as const)('%j is at %i:%i', (path, line, column) => {
    expect(locator.exact(path)).toEqual({ line, column });
  });

  test('never locates keys in strings, comments or array tables', () => {
    expect(locator.exact(['tasks', 'fake'])).toBeNull();
    expect(locator.exact(['x'])).toBeNull();
    expect(locator.exact(['tasks', 'arr'])).toBeNull();
    expect(locator.exact(['tasks', 'arr', 'replicas'])).toBeNull();
    expect(locator.exact(['replicas'])).toBeNull();
  });

  test('locate falls back to the nearest written ancestor', () => {
    expect(locator.locate(['tasks', 'web', 'cwd'])).toEqual({ line: 6, column: 8 });
    expect(locator.locate(['tasks', 'web', 'backoff', 'reset_after'])).toEqual({ line: 8, column: 1 });
    expect(locator.locate(['nothing'])).toBeNull();
  });
});
