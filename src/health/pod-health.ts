import type { ProbeAction, ProbeSpec, ReadinessSpec } from '../config/types.js';
import { LogMatcher, Prober, runProbe, type ProbeTransition } from './index.js';
import type { Clock } from '../util/clock.js';

export interface PodHealthDeps {
  readonly clock: Clock;
  /** Where exec probes run and what they see: the pod's cwd and environment. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The pod became ready (once per run). */
  onReady(): void;
  /** The liveness probe failed `failure_threshold` times in a row. */
  onUnhealthy(reason: string): void;
}

/**
 * Readiness and liveness of one run of a pod. Ready per the task's `ready` setting: at once
 * (`started`), on `"system.ready"` (`signal`), on a matching output line (`log`), or on the first
 * passing probe. Liveness probing starts once the pod is ready, so a slow start is not a failure.
 */
export class PodHealth {
  private isReady = false;
  private readonly matcher: LogMatcher | null;
  private readiness: Prober | null = null;
  private liveness: Prober | null = null;
  private stopped = false;

  constructor(
    /** With the pod's values filled in. */
    private readonly spec: { readonly ready: ReadinessSpec<ProbeAction>; readonly alive: ProbeSpec<ProbeAction> | null },
    private readonly deps: PodHealthDeps,
  ) {
    const ready = spec.ready;
    this.matcher = ready.kind === 'log' ? new LogMatcher(ready.pattern, () => this.markReady()) : null;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** The process is running: start whatever decides readiness. */
  start(): void {
    const ready = this.spec.ready;
    if (ready.kind === 'started') this.markReady();
    else if (ready.kind === 'probe') {
      this.readiness = this.prober(ready.probe, (t) => {
        if (t.type !== 'ready') return;
        this.readiness?.stop();
        this.markReady();
      });
      this.readiness.start();
    }
  }

  /** An output line of the pod (stdout or stderr), for `ready = { log = … }`. */
  line(text: string): void {
    if (this.matcher !== null && !this.isReady) this.matcher.feed(text);
  }

  /** The pod printed `"system.ready": …`. */
  signal(): void {
    if (this.spec.ready.kind === 'signal') this.markReady();
  }

  /** The run ended or the pod is stopping: no more checks, no more callbacks. */
  stop(): void {
    this.stopped = true;
    this.readiness?.stop();
    this.liveness?.stop();
  }

  private markReady(): void {
    if (this.isReady || this.stopped) return;
    this.isReady = true;
    this.deps.onReady();
    const alive = this.spec.alive;
    if (alive === null || this.stopped) return;
    this.liveness = this.prober(alive, (t) => {
      if (t.type === 'failed') this.deps.onUnhealthy(`liveness probe failed ${t.failures} times: ${t.reason}`);
    });
    this.liveness.start();
  }

  private prober(spec: ProbeSpec<ProbeAction>, onTransition: (t: ProbeTransition) => void): Prober {
    return new Prober({
      spec,
      clock: this.deps.clock,
      check: (signal) => runProbe(spec.action, { timeoutMs: spec.timeoutMs, cwd: this.deps.cwd, env: this.deps.env, signal }),
      onTransition: (t) => {
        if (!this.stopped) onTransition(t);
      },
    });
  }
}
