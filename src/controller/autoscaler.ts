import type { AutoscaleSpec } from '../config/types.js';
import type { Pod } from '../pod/pod.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { decideScale, replaceExited, type PoolPod } from './autoscale.js';
import type { ReplicaSetController } from './replica-set.js';

/** One step of a pool's size, for events, logs and `orchestrator tasks`. */
export interface ScaleChange {
  readonly task: string;
  readonly from: number;
  readonly to: number;
  /** `57 queued`, `idle for 30s`, `min is 2`. */
  readonly reason: string;
  /** Epoch ms. */
  readonly at: number;
}

/** The bus's numbers the pool follows (a structural subset of the bus stats). */
export interface PoolLoad {
  readonly tasks: Readonly<Record<string, { readonly queued: number; readonly inFlight: number } | undefined>>;
  readonly pods: Readonly<Record<string, { readonly inFlight: number; readonly delivered: number } | undefined>>;
}

export interface AutoscalerDeps {
  readonly clock: Clock;
  load(): PoolLoad;
  /** Ready per the task's `ready` setting (readiness gates delivery). */
  isReady(pod: Pod): boolean;
  /** The task's dependencies hold and the run is not stopping: pods may be started. */
  mayStart(): boolean;
  changed(change: ScaleChange): void;
  /**
   * Runs `fn` once the current callback has returned (default: a microtask). A look asked for
   * while the bus takes in a burst then happens after the chunk being read, not after the whole
   * burst has been read, which on a loaded machine is tens of milliseconds later.
   */
  defer?(fn: () => void): void;
}

/** What the autoscaler drives. */
export type PoolController = Pick<ReplicaSetController, 'name' | 'taskSpec' | 'inService' | 'scale' | 'shrink'>;

/** Longest time between two looks at a pool that is above min, so pods that went idle are noticed. */
const MAX_POLL_MS = 1000;
const MIN_POLL_MS = 50;

/**
 * Sizes one autoscaled task by asking the pure `decideScale` whenever something may have changed
 * (`waiting`: messages wait; `wake`: a pod changed, new bounds) and on a timer while the pool is
 * above min.
 * It changes the pool only through its ReplicaSetController: pods start through the normal start
 * path (readiness gates delivery, backoff applies) and idle pods are drained before they stop.
 * At min with an empty queue it sets no timer: a pool at zero costs nothing until a message waits.
 */
export class Autoscaler {
  /** Per pod: deliveries seen at the last look, and since when it has been idle (null: busy). */
  private readonly idle = new Map<string, { delivered: number; since: number | null }>();
  private timer: TimerHandle | undefined;
  private soon = false;
  /** At max as of the last look, with no pod change since: messages waiting cannot change anything. */
  private full = false;
  private closed = false;
  private last: ScaleChange | null = null;

  constructor(
    private readonly controller: PoolController,
    private bounds: AutoscaleSpec,
    private readonly deps: AutoscalerDeps,
  ) {}

  get spec(): AutoscaleSpec {
    return this.bounds;
  }

  /** The last step taken, null before the first. */
  get lastChange(): ScaleChange | null {
    return this.last;
  }

  /** New bounds (a reload): they apply at once. */
  update(bounds: AutoscaleSpec): void {
    this.bounds = bounds;
    this.wake();
  }

  /**
   * Messages wait in the queue (the bus says so after every pump that left it non-empty, so during
   * a burst after nearly every ack). At max nothing can grow and nothing shrinks while messages
   * wait, so then it is not worth a look: the next pod change or the poll looks again.
   */
  waiting(): void {
    if (!this.full) this.wake();
  }

  /** Something may have changed: look once, right after the current callback (many wakes make one look). */
  wake(): void {
    this.full = false;
    if (this.closed || this.soon) return;
    this.soon = true;
    (this.deps.defer ?? queueMicrotask)(() => {
      this.soon = false;
      this.evaluate();
    });
  }

  /** A pod of the pool exited and its policy would restart it: only while there is work, or to keep min. */
  replaceExited(pod: Pod): boolean {
    const task = this.deps.load().tasks[this.controller.name];
    const remaining = this.controller.inService().filter((p) => p !== pod).length;
    const replace = replaceExited({ queued: task?.queued ?? 0, inFlight: task?.inFlight ?? 0, remaining, min: this.bounds.min });
    if (!replace) this.wake();
    return replace;
  }

  /** Looks at the pool now and takes at most one step. */
  evaluate(): void {
    if (this.closed || !this.deps.mayStart()) return;
    const now = this.deps.clock.now();
    const load = this.deps.load();
    const inService = this.controller.inService();
    const pods = inService.map((pod) => this.poolPod(pod, load, now));
    for (const name of this.idle.keys()) if (!pods.some((p) => p.name === name)) this.idle.delete(name);
    const decision = decideScale({ now, bounds: this.bounds, concurrency: this.controller.taskSpec.concurrency, queued: load.tasks[this.controller.name]?.queued ?? 0, pods });
    const from = pods.length;
    if (decision.type === 'grow') {
      this.record(from, decision.to, decision.reason, now);
      void this.controller.scale(decision.to);
    } else if (decision.type === 'shrink') {
      this.record(from, decision.to, decision.reason, now);
      const names = new Set(decision.pods);
      void this.controller.shrink(inService.filter((pod) => names.has(pod.name))).then(() => this.wake());
    }
    const wakeAt = decision.type === 'hold' ? decision.wakeAt : null;
    const count = decision.type === 'hold' ? from : decision.to;
    this.full = count >= this.bounds.max;
    const poll = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.floor(this.bounds.idleMs / 4)));
    this.schedule(count > this.bounds.min ? Math.min(wakeAt ?? Infinity, now + poll) : wakeAt);
  }

  /** The run ends or the task goes: no more looks. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private record(from: number, to: number, reason: string, at: number): void {
    this.last = { task: this.controller.name, from, to, reason, at };
    this.deps.changed(this.last);
  }

  private poolPod(pod: Pod, load: PoolLoad, now: number): PoolPod {
    const phase = pod.state.phase;
    const status = phase === 'backoff' ? 'restarting' : phase === 'running' && this.deps.isReady(pod) ? 'ready' : 'starting';
    const stats = load.pods[pod.name];
    const inFlight = stats?.inFlight ?? 0;
    const delivered = stats?.delivered ?? 0;
    const seen = this.idle.get(pod.name);
    let since: number | null;
    if (status !== 'ready' || inFlight > 0) since = null;
    else if (seen === undefined || seen.since === null || seen.delivered !== delivered) since = now;
    else since = seen.since;
    this.idle.set(pod.name, { delivered, since });
    return { name: pod.name, status, inFlight, idleSince: since };
  }

  private schedule(at: number | null): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (at === null) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.evaluate();
    }, Math.max(0, at - this.deps.clock.now()));
  }
}
