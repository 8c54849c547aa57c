import type { KeyPath } from './path.js';
import { suggest } from './suggest.js';
import type { DependencyCondition, RestartPolicy } from './types.js';
import type { PathProblem } from './validate.js';

/** One `depends_on` entry and where it is written, so cross-task problems point at it. */
export interface DependencyRef {
  readonly task: string;
  readonly condition: DependencyCondition;
  readonly path: KeyPath;
}

/**
 * `["db"]` means condition "started" for each name (docker-compose's default); a table names the
 * condition per task. `at` is where `depends_on` is written (the task or [defaults]).
 */
export function resolveDependsOn(raw: readonly string[] | Readonly<Record<string, DependencyCondition>>, at: KeyPath): DependencyRef[] {
  if (Array.isArray(raw)) return raw.map((task, index) => ({ task, condition: 'started' as const, path: [...at, index] }));
  return Object.entries(raw as Readonly<Record<string, DependencyCondition>>).map(([task, condition]) => ({ task, condition, path: [...at, task] }));
}

export interface DependencyNode {
  readonly name: string;
  readonly restart: RestartPolicy;
  readonly refs: readonly DependencyRef[];
}

/**
 * Problems only visible across tasks: unknown names (`names` lists every task in the file, even
 * those with problems of their own), self-dependencies, cycles (each reported once, spelled from
 * the first task of the cycle in file order), duplicates, and "completed" on a task that never completes.
 */
export function dependencyProblems(nodes: readonly DependencyNode[], names: readonly string[]): PathProblem[] {
  const problems: PathProblem[] = [];
  const byName = new Map(nodes.map((node) => [node.name, node]));
  for (const node of nodes) {
    const seen = new Set<string>();
    for (const ref of node.refs) {
      if (seen.has(ref.task)) problems.push({ path: ref.path, message: `"${ref.task}" is listed twice` });
      seen.add(ref.task);
      if (ref.task === node.name) {
        problems.push({ path: ref.path, message: `task "${node.name}" cannot depend on itself` });
      } else if (!names.includes(ref.task)) {
        problems.push({ path: ref.path, message: unknownTask(ref.task, names) });
      } else if (ref.condition === 'completed' && byName.get(ref.task)?.restart === 'always') {
        problems.push({ path: ref.path, message: `"completed" can never hold: task "${ref.task}" has restart = "always", so its pods never complete` });
      }
    }
  }
  const reported = new Set<string>();
  for (const node of nodes) {
    const cycle = cycleThrough(node.name, byName);
    if (cycle === null) continue;
    const key = [...new Set(cycle)].sort().join('\0');
    if (reported.has(key)) continue;
    reported.add(key);
    const first = node.refs.find((ref) => ref.task === cycle[1]);
    problems.push({ path: first?.path ?? ['tasks', node.name, 'depends_on'], message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
  return problems;
}

function unknownTask(task: string, names: readonly string[]): string {
  const hit = suggest(task, names);
  if (hit !== null) return `unknown task "${task}", did you mean "${hit}"?`;
  return names.length <= 8 ? `unknown task "${task}" (tasks: ${names.join(', ')})` : `unknown task "${task}"`;
}

/** The shortest path start -> … -> start (breadth-first, self-loops excluded), or null. */
function cycleThrough(start: string, byName: ReadonlyMap<string, DependencyNode>): string[] | null {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i] as string;
    for (const ref of byName.get(current)?.refs ?? []) {
      if (ref.task === current || !byName.has(ref.task)) continue;
      if (ref.task === start) return [start, ...pathFrom(parent, start, current), start];
      if (!parent.has(ref.task) && ref.task !== start) {
        parent.set(ref.task, current);
        queue.push(ref.task);
      }
    }
  }
  return null;
}

/** Nodes after `start` up to and including `end`, following parent links back from `end`. */
function pathFrom(parent: ReadonlyMap<string, string>, start: string, end: string): string[] {
  const out: string[] = [];
  for (let at: string | undefined = end; at !== undefined && at !== start; at = parent.get(at)) out.unshift(at);
  return out;
}
