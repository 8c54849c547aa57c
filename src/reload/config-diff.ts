import type { OrchestratorConfig, TaskSpec } from '../config/types.js';

/**
 * TaskSpec keys whose change needs no new process: the controller, the dispatcher, the watcher
 * or the log store take the new value live. Every other key (command, env, cwd, shell,
 * stop_signal, grace_period, stdin, probes, … and any key added later) is part of the pod
 * template: changing it rolls the task's pods.
 */
const LIVE_KEYS: ReadonlySet<keyof TaskSpec> = new Set<keyof TaskSpec>([
  'replicas',
  'autoscale',
  'restart',
  'backoff',
  'successExitCodes',
  'maxRestarts',
  'dependsOn',
  'showStdout',
  'showStderr',
  'colors',
  'subscribe',
  'mode',
  'concurrency',
  'ackTimeoutMs',
  'stallTimeoutMs',
  'maxDeliveries',
  'maxQueue',
  'maxQueueBytes',
  'overflow',
  'replayLatest',
  'receiveReplies',
  'watch',
  'watchIgnore',
  'watchDebounceMs',
  'logBuffer',
]);

export interface TaskChange {
  readonly spec: TaskSpec;
  readonly previous: TaskSpec;
  /** Keys that differ, in TaskSpec order. */
  readonly keys: readonly string[];
  /** A pod-template key changed: roll the pods one at a time. */
  readonly roll: boolean;
  /** `replicas` changed in the file (or `autoscale` was removed): set the count to `replicas`. */
  readonly scale: boolean;
}

export interface ConfigDiff {
  readonly added: readonly TaskSpec[];
  readonly removed: readonly string[];
  readonly changed: readonly TaskChange[];
  readonly unchanged: readonly string[];
}

/** What applying `next` over `current` must do, task by task (matched by name). Pure. */
export function diffConfig(current: OrchestratorConfig, next: OrchestratorConfig): ConfigDiff {
  const before = new Map(current.tasks.map((t) => [t.name, t]));
  const after = new Set(next.tasks.map((t) => t.name));
  const added: TaskSpec[] = [];
  const changed: TaskChange[] = [];
  const unchanged: string[] = [];
  for (const spec of next.tasks) {
    const previous = before.get(spec.name);
    if (previous === undefined) {
      added.push(spec);
      continue;
    }
    const keys = changedKeys(previous, spec);
    if (keys.length === 0) unchanged.push(spec.name);
    else changed.push({ spec, previous, keys, roll: keys.some((k) => !LIVE_KEYS.has(k as keyof TaskSpec)), scale: scales(previous, spec, keys) });
  }
  const removed = current.tasks.map((t) => t.name).filter((name) => !after.has(name));
  return { added, removed, changed, unchanged };
}

/**
 * A fixed count changed, or a pool went back to a fixed count. An autoscaled task is never
 * scaled by a reload: its new bounds reach its autoscaler (`autoscale` is a live key).
 */
function scales(previous: TaskSpec, spec: TaskSpec, keys: readonly string[]): boolean {
  return spec.autoscale === null && (keys.includes('replicas') || previous.autoscale !== null);
}

function changedKeys(a: TaskSpec, b: TaskSpec): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => canonical((a as unknown as Record<string, unknown>)[k]) !== canonical((b as unknown as Record<string, unknown>)[k]));
}

/** A stable text form: object keys sorted, RegExps by source and flags (JSON drops them). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    return v;
  }) ?? 'undefined';
}
