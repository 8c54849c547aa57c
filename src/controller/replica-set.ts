import type { TaskSpec } from '../config/types.js';
import type { ExitInfo } from '../pod/exit.js';
import type { Pod, PodDeps } from '../pod/pod.js';
import { isTerminal } from '../pod/pod-state.js';
import type { Clock } from '../util/clock.js';
import { nextFailureCount, restartDelay } from './backoff.js';
import { isSuccess, shouldRestart, withinRestartLimit } from './restart-policy.js';
import { Rollouts, type RolloutOutcome } from './rollout.js';
import { chooseVictims, lowestFreeIndex } from './scale-down.js';

export type { RolloutOutcome } from './rollout.js';

/**
 * What the controller decided about a pod, for logs, events and the run record. Pod state changes
 * (started, stopping, stopped) are not here: they come from `PodDeps.onState`.
 */
export type PodEvent = {
  readonly type: 'exited';
  readonly pod: Pod;
  readonly exit: ExitInfo;
  readonly ranMs: number;
  readonly restartInMs: number | null;
  /** Set when the policy wanted a restart but `max_restarts` (this many) was reached. */
  readonly gaveUpAfter?: number;
};

export type PodFactory = (spec: TaskSpec, index: number, hooks: Pick<PodDeps, 'onExit'>) => Pod;

export interface ReplicaSetDeps {
  readonly createPod: PodFactory;
  readonly emit: (event: PodEvent) => void;
  readonly clock: Clock;
  /** Unacknowledged messages the pod holds (scale-down prefers idle pods). */
  inFlight(pod: Pod): number;
  /** Stop delivering to the pod; resolves once it holds nothing unacknowledged (or is gone). */
  drain(pod: Pod): Promise<void>;
  /**
   * Asked when a pod exits and its policy would restart it: false removes it from the set instead
   * (an autoscaled pool replaces a crashed pod only while there is work). Default: always true.
   */
  replaceExited?(pod: Pod): boolean;
}

/** Longest wait for a busy pod to finish its messages when ack_timeout is not set. */
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/**
 * Keeps `replicas` pods of one task: starts the missing ones, decides on every exit whether and
 * when the pod starts again (restart policy + backoff), scales, rolls pods one at a time, and
 * stops them all on request. It only schedules; the backoff arithmetic is the pure `restartDelay`.
 *
 * Pod sets: every pod is in `pods` (by index) until its process is gone, so a name is never used
 * twice at once. `leaving` pods (scaled down, replaced, task removed) are never restarted and not
 * counted; `replacing` pods still serve while their surge replacement starts, and are not counted.
 */
export class ReplicaSetController {
  private readonly pods = new Map<number, Pod>();
  private readonly failures = new Map<Pod, number>();
  private readonly leaving = new Map<Pod, Promise<void>>();
  private readonly replacing = new Set<Pod>();
  private readonly born = new Map<Pod, number>();
  private births = 0;
  private desired: number;
  private stopping = false;
  private readonly rollouts = new Rollouts({
    inService: () => this.counted(),
    startPod: () => this.startPod(),
    retire: (pod) => this.retire(pod),
    setReplacing: (pod, replacing) => void (replacing ? this.replacing.add(pod) : this.replacing.delete(pod)),
    stopping: () => this.stopping,
  });

  constructor(
    private spec: TaskSpec,
    private readonly deps: ReplicaSetDeps,
  ) {
    this.desired = spec.replicas;
  }

  get name(): string {
    return this.spec.name;
  }

  get taskSpec(): TaskSpec {
    return this.spec;
  }

  /** Replicas wanted now (the config value until `scale` changes it). */
  get replicas(): number {
    return this.desired;
  }

  /** Every pod that still has a process or a slot, leaving ones included, ordered by index. */
  list(): Pod[] {
    return [...this.pods.values()].sort((a, b) => a.index - b.index);
  }

  /** The pod in replica slot `index`, if any (O(1) lookups by pod name). */
  podAt(index: number): Pod | undefined {
    return this.pods.get(index);
  }

  /** True while the pod is on its way out (it will not be restarted). */
  isLeaving(pod: Pod): boolean {
    return this.leaving.has(pod);
  }

  /** Pods that count towards the replicas (not leaving, not being replaced), in index order. */
  inService(): Pod[] {
    return this.counted();
  }

  private counted(): Pod[] {
    return this.list().filter((p) => !this.leaving.has(p) && !this.replacing.has(p));
  }

  /** Starts missing pods, retires surplus ones (drained first). */
  reconcile(): void {
    if (this.stopping) return;
    const counted = this.counted();
    for (let n = counted.length; n < this.desired; n++) this.startPod();
    if (counted.length <= this.desired) return;
    const candidates = counted.map((pod) => ({ pod, index: pod.index, phase: pod.state.phase, inFlight: this.deps.inFlight(pod) }));
    for (const victim of chooseVictims(candidates, counted.length - this.desired)) void this.retire(victim.pod);
  }

  /** Changes the replica count; resolves once surplus pods are gone (new pods are started at once). */
  async scale(replicas: number): Promise<void> {
    this.desired = replicas;
    this.reconcile();
    await Promise.all(this.leaving.values());
  }

  /**
   * Retires exactly these pods (an autoscaled pool's idle ones), lowering the replica count by as
   * many; each is drained first. Resolves once they are gone.
   */
  async shrink(pods: readonly Pod[]): Promise<void> {
    const counted = new Set(this.counted());
    const leaving = pods.filter((pod) => counted.has(pod));
    this.desired = Math.max(0, this.desired - leaving.length);
    await Promise.all(leaving.map((pod) => this.retire(pod)));
  }

  /** Takes a new spec whose differences need no pod restart (messaging, restart policy, replicas). */
  update(spec: TaskSpec): void {
    this.spec = spec;
  }

  /**
   * Replaces pods one at a time (see Rollouts): `all` replaces every pod that exists now
   * (restart), `outdated` only pods whose spec is not `spec` (reload). A later rollout supersedes
   * this one.
   */
  rollout(spec: TaskSpec, which: 'all' | 'outdated'): Promise<RolloutOutcome> {
    this.spec = spec;
    const cutoff = this.births;
    return this.rollouts.start(which === 'all' ? (p: Pod) => (this.born.get(p) ?? 0) <= cutoff : (p: Pod) => p.spec !== spec);
  }

  /** Every state change and readiness change of one of this task's pods (the orchestrator forwards them). */
  observe(pod: Pod, ready: boolean): void {
    this.rollouts.observe(pod, ready);
  }

  private startPod(): Pod {
    const index = lowestFreeIndex(this.pods.keys());
    const pod = this.deps.createPod(this.spec, index, { onExit: (p, exit, ranMs) => this.onExit(p, exit, ranMs) });
    this.pods.set(index, pod);
    this.born.set(pod, ++this.births);
    pod.start();
    return pod;
  }

  /**
   * Takes the pod out of service without losing messages: no new deliveries, wait (bounded) for
   * its unacknowledged ones, then a graceful stop; whatever it still holds is handed back.
   */
  retire(pod: Pod): Promise<void> {
    const existing = this.leaving.get(pod);
    if (existing !== undefined) return existing;
    this.replacing.delete(pod);
    this.rollouts.leaving(pod);
    const done = (async () => {
      if (pod.state.phase === 'running') await this.boundedDrain(pod);
      if (!isTerminal(pod.state)) await pod.stop();
      if (this.pods.get(pod.index) === pod) this.pods.delete(pod.index);
      this.failures.delete(pod);
      this.born.delete(pod);
      this.leaving.delete(pod);
    })();
    this.leaving.set(pod, done);
    return done;
  }

  private async boundedDrain(pod: Pod): Promise<void> {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, pod.spec.ackTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS)));
    await Promise.race([this.deps.drain(pod), timeout]);
    if (timer !== undefined) this.deps.clock.clearTimeout(timer);
  }

  private onExit(pod: Pod, exit: ExitInfo, ranMs: number): void {
    if (this.pods.get(pod.index) !== pod) return;
    if (this.stopping || this.leaving.has(pod)) {
      // Exited on its own while leaving: final, never restarted.
      this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: null });
      pod.complete(exit, isSuccess(exit, this.spec.successExitCodes));
      return;
    }
    const wanted = shouldRestart(this.spec.restart, exit, this.spec.successExitCodes);
    if (wanted && this.deps.replaceExited?.(pod) === false) {
      // Not wanted any more: the slot goes, and the count with it.
      this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: null });
      this.desired = Math.max(0, this.desired - 1);
      pod.complete(exit, isSuccess(exit, this.spec.successExitCodes));
      this.pods.delete(pod.index);
      this.failures.delete(pod);
      this.born.delete(pod);
      return;
    }
    if (wanted && withinRestartLimit(this.spec.maxRestarts, pod.restarts)) {
      const failures = nextFailureCount(this.spec.backoff, this.failures.get(pod) ?? 0, ranMs);
      this.failures.set(pod, failures);
      const delay = restartDelay(this.spec.backoff, failures);
      this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: delay });
      pod.scheduleRestart(delay, exit);
      return;
    }
    this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: null, ...(wanted ? { gaveUpAfter: pod.restarts } : {}) });
    pod.complete(exit, isSuccess(exit, this.spec.successExitCodes));
  }

  private emit(event: PodEvent): void {
    this.deps.emit(event);
  }

  /** True when no pod is running or due to restart: every pod finished for good (or none exist). */
  settled(): boolean {
    return this.list().every((pod) => pod.state.phase === 'succeeded' || pod.state.phase === 'failed');
  }

  /** Pods whose final run failed. */
  failedPods(): Pod[] {
    return this.list().filter((pod) => pod.state.phase === 'failed');
  }

  /** Stops every pod in parallel; no restarts, scaling or rollouts happen once this is called. */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.rollouts.supersede();
    // Finished pods have nothing to stop (and `stopped` is not reachable from succeeded/failed).
    await Promise.all(this.list().filter((pod) => !isTerminal(pod.state)).map((pod) => pod.stop(options)));
    await Promise.all(this.leaving.values());
  }

  /** Still alive (not terminal) pods, for "waiting for …" messages during shutdown. */
  alive(): Pod[] {
    return this.list().filter((pod) => !isTerminal(pod.state));
  }
}
