import type { TaskSpec } from '../config/types.js';
import type { Pod } from '../pod/pod.js';
import { podCommand, podProbes } from '../pod/pod-template.js';
import type { Clock } from '../util/clock.js';
import { PodHealth } from './pod-health.js';

export interface ReadinessHooks {
  /** The pod became ready: it may receive messages now. */
  ready(pod: Pod): void;
  /** Its liveness probe failed for good: restart it. */
  unhealthy(pod: Pod, reason: string): void;
}

/**
 * Which pods are ready, per their task's `ready` setting, and the liveness of ready pods. One
 * PodHealth per running pod; forgotten when the pod stops running.
 */
export class Readiness {
  private readonly health = new Map<Pod, PodHealth>();
  private readonly readyPods = new Set<Pod>();
  /** Tasks that have had a pod spawned (`depends_on = { x = "started" }`). */
  private readonly ran = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly hooks: ReadinessHooks,
  ) {}

  /** A pod is running: start deciding its readiness. `env` is what its exec probes see. */
  watch(pod: Pod, spec: TaskSpec, env: Readonly<Record<string, string>>): void {
    this.ran.add(spec.name);
    const state = pod.state;
    // Probes see the same per-pod values as the process they check.
    const id = { task: spec.name, name: pod.name, index: pod.index, podId: 'podId' in state ? state.podId : '' };
    const health = new PodHealth(podProbes(spec, id), {
      clock: this.clock,
      cwd: podCommand(spec, id).cwd,
      env,
      onReady: () => {
        this.readyPods.add(pod);
        this.hooks.ready(pod);
      },
      onUnhealthy: (reason) => this.hooks.unhealthy(pod, reason),
    });
    this.health.set(pod, health);
    health.start();
  }

  /** The pod stopped running (or is stopping): not ready, no more probes. */
  unwatch(pod: Pod): void {
    this.health.get(pod)?.stop();
    this.health.delete(pod);
    this.readyPods.delete(pod);
  }

  /** An output line of the pod, for `ready = { log = … }`. */
  line(pod: Pod, text: string): void {
    this.health.get(pod)?.line(text);
  }

  /** The pod printed `"system.ready"`. */
  signal(pod: Pod): void {
    this.health.get(pod)?.signal();
  }

  isReady(pod: Pod): boolean {
    return this.readyPods.has(pod);
  }

  everRan(task: string): boolean {
    return this.ran.has(task);
  }
}
