import type { TaskSpec } from '../config/types.js';
import type { Pod, PodDeps } from '../pod/pod.js';
import { isTerminal } from '../pod/pod-state.js';
import { nextFailureCount, restartDelay } from './backoff.js';
import { isSuccess, shouldRestart, type ExitInfo } from './restart-policy.js';

/** Lifecycle events of a task's pods, for logs, `system.pods` and the control plane. */
export type PodEvent =
  | { readonly type: 'started'; readonly pod: Pod; readonly pid: number; readonly podId: string }
  | { readonly type: 'exited'; readonly pod: Pod; readonly exit: ExitInfo; readonly ranMs: number; readonly restartInMs: number | null }
  | { readonly type: 'stopping'; readonly pod: Pod; readonly pid: number }
  | { readonly type: 'stopped'; readonly pod: Pod; readonly exit: ExitInfo | null };

export type PodFactory = (spec: TaskSpec, index: number, hooks: Pick<PodDeps, 'onExit'>) => Pod;

/**
 * Keeps `replicas` pods of one task: starts the missing ones, decides on every exit whether and
 * when the pod starts again (restart policy + backoff), and stops them all on request.
 * It only schedules; the backoff arithmetic is the pure `restartDelay`.
 */
export class ReplicaSetController {
  private readonly pods = new Map<number, Pod>();
  private readonly failures = new Map<Pod, number>();
  private stopping = false;

  constructor(
    private spec: TaskSpec,
    private readonly createPod: PodFactory,
    private readonly emit: (event: PodEvent) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get taskSpec(): TaskSpec {
    return this.spec;
  }

  /** Pods ordered by replica index. */
  list(): Pod[] {
    return [...this.pods.values()].sort((a, b) => a.index - b.index);
  }

  /** Creates and starts the pods that should exist but do not. */
  reconcile(): void {
    if (this.stopping) return;
    for (let index = 0; index < this.spec.replicas; index++) {
      if (this.pods.has(index)) continue;
      const pod = this.createPod(this.spec, index, { onExit: (p, exit, ranMs) => this.onExit(p, exit, ranMs) });
      this.pods.set(index, pod);
      pod.start();
    }
  }

  private onExit(pod: Pod, exit: ExitInfo, ranMs: number): void {
    if (this.stopping || this.pods.get(pod.index) !== pod) return;
    if (shouldRestart(this.spec.restart, exit)) {
      const failures = nextFailureCount(this.spec.backoff, this.failures.get(pod) ?? 0, ranMs);
      this.failures.set(pod, failures);
      const delay = restartDelay(this.spec.backoff, failures);
      this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: delay });
      pod.scheduleRestart(delay, exit);
      return;
    }
    this.emit({ type: 'exited', pod, exit, ranMs, restartInMs: null });
    pod.complete(exit, isSuccess(exit));
  }

  /** True when no pod is running or due to restart: every pod finished for good (or none exist). */
  settled(): boolean {
    return this.list().every((pod) => pod.state.phase === 'succeeded' || pod.state.phase === 'failed');
  }

  /** Pods whose final run failed. */
  failedPods(): Pod[] {
    return this.list().filter((pod) => pod.state.phase === 'failed');
  }

  /** Stops every pod in parallel; no restarts happen once this is called. */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    this.stopping = true;
    await Promise.all(this.list().map((pod) => pod.stop(options)));
  }

  /** Still alive (not terminal) pods, for "waiting for …" messages during shutdown. */
  alive(): Pod[] {
    return this.list().filter((pod) => !isTerminal(pod.state));
  }
}
