import type { Bus } from '../bus/bus.js';
import type { TaskSpec } from '../config/types.js';
import { Autoscaler, type ScaleChange } from '../controller/autoscaler.js';
import type { Readiness } from '../health/readiness.js';
import type { DependencyGate } from '../jobs/dependency-gate.js';
import type { EventLog } from '../observe/event-log.js';
import type { Pod } from '../pod/pod.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { TaskRegistry } from './task-registry.js';

export interface AutoscalingDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: Pick<EventLog, 'record'>;
  readonly bus: Pick<Bus, 'stats' | 'onWaiting'>;
  readonly tasks: TaskRegistry;
  readonly readiness: Pick<Readiness, 'isReady'>;
  readonly gate: Pick<DependencyGate, 'isReleased'>;
  /** The run takes no more changes. */
  stopping(): boolean;
}

/** What `orchestrator tasks` shows of an autoscaled task. */
export interface AutoscaleStatus {
  readonly min: number;
  readonly max: number;
  readonly idleMs: number;
  readonly lastChange: ScaleChange | null;
}

/**
 * The run's autoscaled pools, one Autoscaler per task with `autoscale`. It wakes a pool when its
 * queue backs up (the bus says so), when one of its pods changes state or readiness, and when the
 * gate releases it; tasks without `autoscale` are not touched.
 */
export class Autoscaling {
  private readonly pools = new Map<string, Autoscaler>();

  constructor(private readonly deps: AutoscalingDeps) {
    deps.bus.onWaiting((task) => this.pools.get(task)?.waiting());
  }

  /** Follows the task's spec: creates, updates (bounds apply at once) or removes its autoscaler. */
  configure(spec: TaskSpec): void {
    const existing = this.pools.get(spec.name);
    if (spec.autoscale === null) {
      existing?.close();
      this.pools.delete(spec.name);
      return;
    }
    if (existing !== undefined) return existing.update(spec.autoscale);
    const controller = this.deps.tasks.get(spec.name);
    if (controller === undefined) return;
    const name = spec.name;
    const scaler = new Autoscaler(controller, spec.autoscale, {
      clock: this.deps.clock,
      load: () => this.deps.bus.stats(),
      isReady: (pod) => this.deps.readiness.isReady(pod),
      mayStart: () => !this.deps.stopping() && this.deps.gate.isReleased(name) && this.deps.tasks.get(name) === controller,
      changed: (change) => this.changed(change),
    });
    this.pools.set(name, scaler);
    scaler.wake();
  }

  remove(task: string): void {
    this.pools.get(task)?.close();
    this.pools.delete(task);
  }

  /** A pod's state or readiness changed, or the gate released its task. */
  wake(task: string): void {
    this.pools.get(task)?.wake();
  }

  /** The controller asks before restarting an exited pod; tasks without autoscale always restart. */
  replaceExited(pod: Pod): boolean {
    return this.pools.get(pod.spec.name)?.replaceExited(pod) ?? true;
  }

  status(task: string): AutoscaleStatus | null {
    const scaler = this.pools.get(task);
    return scaler === undefined ? null : { ...scaler.spec, lastChange: scaler.lastChange };
  }

  /** The run stops: no more looks, no timers left. */
  close(): void {
    for (const scaler of this.pools.values()) scaler.close();
    this.pools.clear();
  }

  private changed(change: ScaleChange): void {
    const { task, from, to, reason } = change;
    this.deps.events.record({ type: 'autoscaled', task, from, to, reason });
    this.deps.logger.info({ task, from, to, reason }, `${task} scaled ${from} → ${to}: ${reason}`);
  }
}
