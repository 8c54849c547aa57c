import type { OrchestratorConfig, TaskSpec } from '../config/types.js';
import type { ReplicaSetController } from '../controller/replica-set.js';
import { diffConfig } from './config-diff.js';

/** What a reload did, task names per kind of change. */
export interface ReloadSummary {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Pod template changed: pods replaced one at a time. */
  readonly rolled: readonly string[];
  /** `replicas` changed in the file. */
  readonly scaled: readonly string[];
  /** Only live keys changed (subscriptions, mode, restart policy, …): no pod touched. */
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
}

/** The orchestrator operations a reload is made of. */
export interface ReloadHost {
  controller(task: string): ReplicaSetController | undefined;
  /** Configures messaging for the task and starts its pods. */
  addTask(spec: TaskSpec): void;
  /** Stops routing to the task, drains and stops its pods, then forgets it. */
  removeTask(task: string): Promise<void>;
  /** Subscriptions, mode, queue limits: takes effect at once, the queue is kept. */
  configureMessaging(spec: TaskSpec): void;
  /** Watchers and log buffers follow the new spec. */
  specChanged(spec: TaskSpec): void;
  scale(task: string, replicas: number): Promise<void>;
  rollout(task: string, spec: TaskSpec, reason: string): Promise<unknown>;
}

/**
 * Applies `next` over `current` like `kubectl apply`: new tasks start, removed tasks drain and
 * stop, a changed pod template rolls the task, a `replicas` edit scales it (a runtime `scale` is
 * kept when the file's replicas did not change: three-way semantics), live keys are updated in
 * place, untouched tasks are not touched. Returns at once; `done` settles when every rollout,
 * scale and removal it started has finished.
 */
export function applyConfig(current: OrchestratorConfig, next: OrchestratorConfig, host: ReloadHost): { summary: ReloadSummary; done: Promise<void> } {
  const diff = diffConfig(current, next);
  const work: Promise<unknown>[] = [];
  for (const task of diff.removed) work.push(host.removeTask(task));
  for (const spec of diff.added) host.addTask(spec);
  for (const change of diff.changed) {
    host.configureMessaging(change.spec);
    host.controller(change.spec.name)?.update(change.spec);
    host.specChanged(change.spec);
    if (change.scale) work.push(host.scale(change.spec.name, change.spec.replicas));
    if (change.roll) work.push(host.rollout(change.spec.name, change.spec, `config changed: ${change.keys.join(', ')}`));
  }
  const summary: ReloadSummary = {
    added: diff.added.map((s) => s.name),
    removed: diff.removed,
    rolled: diff.changed.filter((c) => c.roll).map((c) => c.spec.name),
    scaled: diff.changed.filter((c) => c.scale).map((c) => c.spec.name),
    updated: diff.changed.filter((c) => !c.roll && !c.scale).map((c) => c.spec.name),
    unchanged: diff.unchanged,
  };
  return { summary, done: Promise.all(work).then(() => undefined) };
}
