import type { Bus } from '../bus/bus.js';
import type { OrchestratorConfig } from '../config/types.js';
import type { Readiness } from '../health/readiness.js';
import { isJob, runVerdict, type JobState } from '../jobs/index.js';
import type { EventLog } from '../observe/event-log.js';
import type { QueueSignals } from '../observe/queue-signals.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { RunQueries } from './queries.js';
import type { RunLifecycle } from './run-lifecycle.js';

export interface CompletionDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: Pick<EventLog, 'record'>;
  readonly bus: Pick<Bus, 'pending' | 'closeTask' | 'isClosed'>;
  readonly signals: Pick<QueueSignals, 'drops'>;
  readonly readiness: Pick<Readiness, 'everRan'>;
  readonly queries: Pick<RunQueries, 'state'>;
  readonly lifecycle: RunLifecycle;
  readonly exitOnComplete: boolean;
  config(): OrchestratorConfig;
  /** Messages queued or unacknowledged on a bus shared with other instances (last read); 0 in process. */
  elsewhere(): number;
}

/**
 * Ends the run when its jobs are done: at once for a run made only of jobs, and with
 * exitOnComplete once nothing is queued or in flight either; services are then stopped.
 */
export class Completion {
  /** When each job first failed or was skipped, so the first failure can be named. */
  private readonly endedAt = new Map<string, number>();

  constructor(private readonly deps: CompletionDeps) {}

  check(): void {
    const { lifecycle, clock } = this.deps;
    if (lifecycle.phase.phase !== 'running' && lifecycle.phase.phase !== 'completing') return;
    this.closeFinishedJobs();
    const tasks = this.deps.config().tasks;
    const services = tasks.some((t) => !isJob(t));
    if (services && !this.deps.exitOnComplete) return;
    const jobs = new Map<string, JobState>();
    for (const task of tasks.filter(isJob)) {
      const state = this.deps.queries.state(task.name);
      if ((state.phase === 'failed' || state.phase === 'skipped') && !this.endedAt.has(task.name)) this.endedAt.set(task.name, clock.now());
      jobs.set(task.name, { phase: state.phase, reason: state.reason, at: this.endedAt.get(task.name) ?? clock.now() });
    }
    const verdict = runVerdict(jobs, services ? this.deps.bus.pending() + this.deps.elsewhere() : 0);
    if (verdict.type === 'continue') {
      // Jobs are done but messages are still on their way: no event says when that ends, so look again shortly.
      if (runVerdict(jobs, 0).type === 'done') lifecycle.complete(() => this.check());
      else lifecycle.resume();
      return;
    }
    const first = verdict.firstFailure;
    const failure = first === null ? null : `${first.task} ${first.skipped ? 'was skipped' : 'failed'}: ${first.reason}`;
    this.deps.events.record({ type: 'completed', failure });
    if (services) this.deps.logger.info('all jobs finished and nothing is queued: stopping the services');
    void lifecycle.finish({ type: 'completed', failure }, { stopServices: services });
  }

  /**
   * A job that completed, failed or was skipped reads no more: what is queued for it, and what is
   * published to it from now on, is dropped and counted rather than left to hold the run open.
   * A pod of it starting again (scale, restart) reopens it.
   */
  private closeFinishedJobs(): void {
    for (const task of this.deps.config().tasks) {
      if (!isJob(task) || this.deps.bus.isClosed(task.name)) continue;
      const phase = this.deps.queries.state(task.name).phase;
      // A job at replicas = 0 that never ran counts as succeeded, but may still be scaled up to read its queue.
      if (phase !== 'failed' && phase !== 'skipped' && !(phase === 'succeeded' && this.deps.readiness.everRan(task.name))) continue;
      this.deps.bus.closeTask(task.name);
      this.deps.signals.drops.flush(task.name, 'job-finished');
    }
  }
}
