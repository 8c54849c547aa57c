import { describe, expect, test } from 'vitest';
import type { DependencyCondition } from '../config/types.js';
import { dependentsOf, shutdownLevels, startLevels } from './graph.js';

const task = (name: string, dependsOn: Record<string, DependencyCondition> = {}) => ({ name, dependsOn });

describe('start and shutdown order', () => {
  const tasks = [
    task('web', { api: 'ready' }),
    task('db'),
    task('api', { db: 'ready', migrate: 'completed' }),
    task('migrate', { db: 'ready' }),
    task('cache'),
    task('report', { web: 'started', db: 'started' }),
  ];

  test('levels by dependency depth, file order within a level', () => {
    expect(startLevels(tasks)).toEqual([['db', 'cache'], ['migrate'], ['api'], ['web'], ['report']]);
  });

  test('shutdown stops dependents before their dependencies', () => {
    const order = shutdownLevels(tasks).flat();
    expect(order).toEqual(['report', 'web', 'api', 'migrate', 'db', 'cache']);
    for (const t of tasks) for (const dependency of Object.keys(t.dependsOn)) expect(order.indexOf(t.name)).toBeLessThan(order.indexOf(dependency));
  });

  test('no dependencies: one level in file order', () => {
    expect(startLevels([task('b'), task('a')])).toEqual([['b', 'a']]);
    expect(startLevels([])).toEqual([]);
  });

  test('dependents of a task', () => {
    expect(dependentsOf(tasks, 'db')).toEqual(['api', 'migrate', 'report']);
  });

  test('a hand-built cycle or unknown name is a typed error', () => {
    expect(() => startLevels([task('a', { b: 'started' }), task('b', { c: 'started' }), task('c', { a: 'started' })])).toThrow(
      expect.objectContaining({ code: 'DEPENDENCY_CYCLE', message: 'dependency cycle: a -> b -> c -> a' }),
    );
    expect(() => startLevels([task('a', { x: 'started' })])).toThrow(expect.objectContaining({ code: 'UNKNOWN_DEPENDENCY', message: 'task "a" depends on unknown task "x"' }));
  });
});
