import type { Pod } from '../pod/pod.js';
import { isTerminal } from '../pod/pod-state.js';

/** How a rollout ended: every old pod replaced, or cut short by a newer rollout / stop. */
export type RolloutOutcome = { readonly type: 'completed'; readonly replaced: readonly string[] } | { readonly type: 'superseded'; readonly replaced: readonly string[] };

/** What a rollout needs from its ReplicaSetController. */
export interface RolloutHost {
  /** Pods that count towards the replicas (not leaving, not being replaced), in index order. */
  inService(): Pod[];
  /** Starts a surge pod (lowest free index) with the controller's current spec. */
  startPod(): Pod;
  /** Drains and stops the pod; resolves once it is gone. */
  retire(pod: Pod): Promise<void>;
  /** Marks the pod as being replaced: it still serves, but no longer counts. */
  setReplacing(pod: Pod, replacing: boolean): void;
  /** The controller is stopping: no step starts any more. */
  stopping(): boolean;
}

/**
 * Rolling replacement of a task's pods, one at a time: a surge pod starts, and once it is ready
 * the old pod is drained and stopped. Rollouts run one after another; a newer one (or a stop)
 * supersedes the one under way: its step is finished (or its not-yet-ready surge removed) and the
 * newer rollout replaces whatever is left.
 */
export class Rollouts {
  private generation = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private supersededWaiters: Array<{ generation: number; resolve: () => void }> = [];
  private readonly readyWaiters = new Map<Pod, Array<(ready: boolean) => void>>();

  constructor(private readonly host: RolloutHost) {}

  /** Replaces every pod in service for which `isOutdated` holds (checked before each step). */
  start(isOutdated: (pod: Pod) => boolean): Promise<RolloutOutcome> {
    const generation = ++this.generation;
    this.wakeSuperseded();
    const run = this.chain.then(() => this.run(generation, isOutdated));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Supersedes the rollout under way (the controller stops). */
  supersede(): void {
    this.generation++;
    this.wakeSuperseded();
  }

  /** A state or readiness change of one of the task's pods: a surge waiting for it may go on. */
  observe(pod: Pod, ready: boolean): void {
    if (ready && pod.state.phase === 'running') this.settleReady(pod, true);
    else if (isTerminal(pod.state)) this.settleReady(pod, false);
  }

  /** The pod leaves (retired): a rollout waiting for it to become ready gives up on it. */
  leaving(pod: Pod): void {
    this.settleReady(pod, false);
  }

  private async run(generation: number, isOutdated: (pod: Pod) => boolean): Promise<RolloutOutcome> {
    const host = this.host;
    const replaced: string[] = [];
    const next = (): Pod | undefined => host.inService().find(isOutdated);
    for (let old = next(); old !== undefined; old = next()) {
      if (generation !== this.generation || host.stopping()) return { type: 'superseded', replaced };
      host.setReplacing(old, true);
      const surge = host.startPod();
      const ready = await this.whenReady(surge, generation);
      if (!ready) {
        host.setReplacing(old, false);
        // Awaited: the next rollout starts its surge only once this one is gone (at most one surge pod alive).
        if (!host.stopping()) await host.retire(surge);
        return { type: 'superseded', replaced };
      }
      replaced.push(old.name);
      await host.retire(old);
    }
    return { type: 'completed', replaced };
  }

  /** Resolves true once the pod is ready; false if it leaves first or the rollout is superseded. */
  private whenReady(pod: Pod, generation: number): Promise<boolean> {
    if (pod.state.phase === 'running') return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.readyWaiters.get(pod) ?? [];
      waiters.push(resolve);
      this.readyWaiters.set(pod, waiters);
      void this.superseded(generation).then(() => this.settleReady(pod, false));
    });
  }

  private superseded(generation: number): Promise<void> {
    return new Promise((resolve) => this.supersededWaiters.push({ generation, resolve }));
  }

  private wakeSuperseded(): void {
    const stale = (w: { generation: number }): boolean => w.generation !== this.generation || this.host.stopping();
    const waiters = this.supersededWaiters;
    this.supersededWaiters = waiters.filter((w) => !stale(w));
    for (const w of waiters) if (stale(w)) w.resolve();
  }

  private settleReady(pod: Pod, ready: boolean): void {
    const waiters = this.readyWaiters.get(pod);
    if (waiters === undefined) return;
    this.readyWaiters.delete(pod);
    for (const resolve of waiters) resolve(ready);
  }
}
