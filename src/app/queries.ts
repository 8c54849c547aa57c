import type { BusStats, QueueDepth, TaskStats } from '../bus/bus.js';
import type { ReplicaSetController } from '../controller/replica-set.js';
import { describeExit } from '../controller/restart-policy.js';
import type { DependencyGate } from '../jobs/dependency-gate.js';
import { isJob, deriveTaskState, type TaskFacts, type TaskPhase, type TaskState } from '../jobs/index.js';
import type { Readiness } from '../health/readiness.js';
import type { DiscardReason } from '../observe/drop-report.js';
import type { QueueSignals } from '../observe/queue-signals.js';
import type { Pod } from '../pod/pod.js';
import type { PodState } from '../pod/pod-state.js';
import type { Autoscaling, AutoscaleStatus } from './autoscaling.js';
import type { TaskRegistry } from './task-registry.js';

export type { TaskPhase } from '../jobs/index.js';

/** One pod as `ps` sees it. Times are epoch ms. */
export interface PodSnapshot {
  readonly name: string;
  readonly task: string;
  readonly index: number;
  readonly phase: PodState['phase'];
  /** Receiving messages: ready per its task's `ready` setting and not leaving. */
  readonly ready: boolean;
  readonly leaving: boolean;
  readonly restarts: number;
  readonly lastRestartAt: number | null;
  readonly createdAt: number;
  readonly pid: number | null;
  readonly inFlight: number;
  readonly delivered: number;
  readonly acked: number;
  /** When its current stall began, null while it reads its stdin. */
  readonly stalledSince: number | null;
}

/** One task as `tasks`, `wait` and completion see it. */
export interface TaskSnapshot {
  readonly name: string;
  readonly phase: TaskPhase;
  readonly job: boolean;
  readonly desired: number;
  /** Pods that exist and are not leaving. */
  readonly current: number;
  /** Of those, the ready ones. */
  readonly ready: number;
  readonly restart: string;
  readonly mode: string;
  readonly subscribe: readonly string[];
  readonly colors: boolean;
  readonly stats: TaskStats;
  readonly discarded: Readonly<Partial<Record<DiscardReason, number>>>;
  /** Its pods that are stalled. */
  readonly stalled: number;
  /** Bounds and last step of an autoscaled task (`desired` is then the pool's current target); null otherwise. */
  readonly autoscale: AutoscaleStatus | null;
}

/** The run's read model: snapshots, never the live objects. */
export interface RunView {
  pods(): readonly PodSnapshot[];
  tasks(): readonly TaskSnapshot[];
  /** O(1) by name. */
  task(name: string): TaskSnapshot | undefined;
  /** O(1) by name. */
  pod(name: string): PodSnapshot | undefined;
}

export interface RunQueriesDeps {
  readonly tasks: TaskRegistry;
  readonly readiness: Pick<Readiness, 'isReady' | 'everRan'>;
  readonly gate: Pick<DependencyGate, 'isSkipped' | 'isReleased'>;
  readonly bus: { stats(): BusStats };
  readonly signals: Pick<QueueSignals, 'stalls' | 'discarded'>;
  readonly autoscaling: Pick<Autoscaling, 'status'>;
  /** A shared bus: the task's queue across every instance (last read), shown instead of this instance's share. */
  readonly depth?: (task: string) => QueueDepth | undefined;
}

const NOT_CONFIGURED: TaskFacts = { job: false, skipped: null, released: false, desired: 0, pods: 0, settled: true, firstFailure: null, readyPods: 0, everRan: false };
const NO_STATS: TaskStats = { queued: 0, inFlight: 0, oldestQueuedAt: null, delivered: 0, acked: 0, redelivered: 0, deadLettered: 0, dropped: 0, rejected: 0 };

/** Builds snapshots from controllers, readiness, the gate and bus stats; `state` is the one task-phase derivation. */
export class RunQueries implements RunView {
  constructor(private readonly deps: RunQueriesDeps) {}

  /** Where a task stands (waiting when unknown): for the gate, completion and the snapshots. */
  state(task: string): TaskState {
    const skipped = this.deps.gate.isSkipped(task);
    const controller = this.deps.tasks.get(task);
    // A task no longer configured (being removed) reads as one that never started.
    if (controller === undefined) return deriveTaskState({ ...NOT_CONFIGURED, skipped });
    const pods = controller.list();
    const failed = controller.failedPods()[0];
    return deriveTaskState({
      job: isJob(controller.taskSpec),
      skipped,
      released: this.deps.gate.isReleased(task),
      desired: controller.replicas,
      pods: pods.length,
      settled: controller.settled(),
      firstFailure: failed === undefined ? null : `${failed.name} ${failed.lastExit === null ? 'failed' : describeExit(failed.lastExit)}`,
      readyPods: pods.filter((pod) => this.deps.readiness.isReady(pod)).length,
      everRan: this.deps.readiness.everRan(task),
    });
  }

  pods(): PodSnapshot[] {
    const stats = this.deps.bus.stats();
    return this.deps.tasks.list().flatMap((c) => c.list().map((pod) => this.podSnapshot(c, pod, stats)));
  }

  pod(name: string): PodSnapshot | undefined {
    const pod = this.deps.tasks.pod(name);
    const controller = pod === undefined ? undefined : this.deps.tasks.get(pod.spec.name);
    return pod === undefined || controller === undefined ? undefined : this.podSnapshot(controller, pod, this.deps.bus.stats());
  }

  tasks(): TaskSnapshot[] {
    const stats = this.deps.bus.stats();
    return this.deps.tasks.list().map((c) => this.taskSnapshot(c, stats));
  }

  task(name: string): TaskSnapshot | undefined {
    const controller = this.deps.tasks.get(name);
    return controller === undefined ? undefined : this.taskSnapshot(controller, this.deps.bus.stats());
  }

  private withDepth(task: string, stats: TaskStats): TaskStats {
    const depth = this.deps.depth?.(task);
    return depth === undefined ? stats : { ...stats, queued: depth.queued, inFlight: depth.inFlight };
  }

  private podSnapshot(controller: ReplicaSetController, pod: Pod, stats: BusStats): PodSnapshot {
    const s = stats.pods[pod.name];
    const leaving = controller.isLeaving(pod);
    return {
      name: pod.name,
      task: controller.name,
      index: pod.index,
      phase: pod.state.phase,
      ready: this.deps.readiness.isReady(pod) && !leaving,
      leaving,
      restarts: pod.restarts,
      lastRestartAt: pod.lastRestartAt,
      createdAt: pod.createdAt,
      pid: pod.pid,
      inFlight: s?.inFlight ?? 0,
      delivered: s?.delivered ?? 0,
      acked: s?.acked ?? 0,
      stalledSince: this.deps.signals.stalls.stalledSince(pod.name),
    };
  }

  private taskSnapshot(controller: ReplicaSetController, stats: BusStats): TaskSnapshot {
    const spec = controller.taskSpec;
    const pods = controller.list().filter((p) => !controller.isLeaving(p));
    return {
      name: controller.name,
      phase: this.state(controller.name).phase,
      job: isJob(spec),
      desired: controller.replicas,
      current: pods.length,
      ready: pods.filter((p) => this.deps.readiness.isReady(p)).length,
      restart: spec.restart,
      mode: spec.mode,
      subscribe: spec.subscribe,
      colors: spec.colors,
      stats: this.withDepth(controller.name, stats.tasks[controller.name] ?? NO_STATS),
      discarded: this.deps.signals.discarded(controller.name),
      stalled: this.deps.signals.stalls.stalledCount(controller.name),
      autoscale: this.deps.autoscaling.status(controller.name),
    };
  }
}
