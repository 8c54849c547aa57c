import type { TaskSpec } from '../config/types.js';
import { formatDuration } from '../util/duration.js';
import type { BusStats } from '../bus/bus.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { STALL_CHECK_INTERVAL_MS, STALL_WARN_MS, StallDetector, type StallChange, type StallSample } from './stall-detector.js';

export type StallSpec = Pick<TaskSpec, 'name' | 'stallTimeoutMs' | 'subscribe' | 'overflow' | 'maxQueue'>;

export interface StallWatchDeps {
  readonly clock: Clock;
  /** A dispatcher snapshot (taken once per check, never per message). */
  stats(): BusStats;
  /** The task's current settings; undefined when it is gone. */
  spec(task: string): StallSpec | undefined;
  /** A stall began counting or ended (log it, record it). */
  changed(change: StallChange, spec: StallSpec | undefined): void;
  /** The stall outlasted the task's stall_timeout: restart the pod like a failed liveness probe (`reason` says why, without the pod name). */
  restart(pod: string, reason: string): void;
}

/**
 * The effectful shell around StallDetector: samples the dispatcher every
 * STALL_CHECK_INTERVAL_MS while started, reports changes and applies `stall_timeout`.
 */
export class StallWatch {
  private readonly detector = new StallDetector();
  private timer: TimerHandle | null = null;
  /** Pods already restarted for their current stall (so the kill is sent once). */
  private readonly restarted = new Set<string>();

  constructor(private readonly deps: StallWatchDeps) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), STALL_CHECK_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** When the pod's stall began (epoch ms); null when it is not stalled. */
  stalledSince(pod: string): number | null {
    return this.detector.stalledSince(pod);
  }

  stalledCount(task: string): number {
    return this.detector.stalledCount(task);
  }

  /** The pod's process is gone (exited, killed, stopped): a stall of it ends here. */
  podGone(pod: string): void {
    this.restarted.delete(pod);
    const change = this.detector.forget(pod, this.deps.clock.now());
    if (change !== null) this.deps.changed(change, this.deps.spec(change.task));
  }

  /** One check now (the timer calls it; tests may too). */
  check(): void {
    const now = this.deps.clock.now();
    const { tasks, pods } = this.deps.stats();
    const samples: StallSample[] = [];
    for (const [pod, s] of Object.entries(pods)) {
      const timeout = this.deps.spec(s.task)?.stallTimeoutMs ?? null;
      samples.push({
        pod,
        task: s.task,
        blocked: !s.writable,
        delivered: s.delivered,
        queued: (tasks[s.task]?.queued ?? 0) + s.queued,
        warnAfterMs: timeout === null ? STALL_WARN_MS : Math.min(STALL_WARN_MS, timeout),
      });
    }
    for (const change of this.detector.observe(now, samples)) {
      if (change.type !== 'stalled') this.restarted.delete(change.pod);
      this.deps.changed(change, this.deps.spec(change.task));
    }
    for (const sample of samples) {
      const since = this.detector.stalledSince(sample.pod);
      const timeout = this.deps.spec(sample.task)?.stallTimeoutMs ?? null;
      if (since === null || timeout === null || now - since < timeout || this.restarted.has(sample.pod)) continue;
      this.restarted.add(sample.pod);
      this.deps.restart(sample.pod, `stdin not read for ${Math.floor((now - since) / 1000)}s (stall_timeout ${formatDuration(timeout)})`);
    }
  }

  private tick(): void {
    this.timer = null;
    this.check();
    this.start();
  }
}
