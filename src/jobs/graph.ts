import type { TaskSpec } from '../config/types.js';
import { JobGraphError } from './errors.js';

/** The part of a task the dependency logic reads. */
export type DependencyTask = Pick<TaskSpec, 'name' | 'dependsOn'>;

/**
 * Tasks grouped by dependency depth: level 0 depends on nothing, level n on tasks of lower levels
 * only (at least one at n - 1). Within a level, tasks keep their file order. Starting level by
 * level never starts a task before a task it depends on.
 */
export function startLevels(tasks: readonly DependencyTask[]): string[][] {
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (task: DependencyTask, trail: readonly string[]): number => {
    const known = depth.get(task.name);
    if (known !== undefined) return known;
    if (visiting.has(task.name)) {
      const cycle = [...trail.slice(trail.indexOf(task.name)), task.name];
      throw new JobGraphError('DEPENDENCY_CYCLE', `dependency cycle: ${cycle.join(' -> ')}`);
    }
    visiting.add(task.name);
    let level = 0;
    for (const name of Object.keys(task.dependsOn)) {
      const dependency = byName.get(name);
      if (dependency === undefined) throw new JobGraphError('UNKNOWN_DEPENDENCY', `task "${task.name}" depends on unknown task "${name}"`);
      level = Math.max(level, visit(dependency, [...trail, task.name]) + 1);
    }
    visiting.delete(task.name);
    depth.set(task.name, level);
    return level;
  };
  const levels: string[][] = [];
  for (const task of tasks) {
    const level = visit(task, []);
    (levels[level] ??= []).push(task.name);
  }
  // Every level below a used one is used (a task at n has a dependency at n - 1), so no holes.
  return levels;
}

/** Dependents before their dependencies: the start levels, last first. */
export function shutdownLevels(tasks: readonly DependencyTask[]): string[][] {
  return startLevels(tasks).reverse();
}

/** Names of the tasks that depend on `name` directly, in file order. */
export function dependentsOf(tasks: readonly DependencyTask[], name: string): string[] {
  return tasks.filter((task) => name in task.dependsOn).map((task) => task.name);
}
