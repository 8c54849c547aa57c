import type { TaskSpec } from '../config/types.js';
import { describeExit } from '../pod/exit.js';
import type { TaskStats } from '../bus/bus.js';
import { isJob } from '../jobs/index.js';
import type { ExitInfo } from '../pod/exit.js';
import { FAILURE_LINES, type JUnitCase, type JUnitOutputLine, type JUnitReport, type JUnitResult, type SummaryRow } from '../report/index.js';

interface TaskRecord {
  firstStart: number | null;
  lastExit: number | null;
  restarts: number;
  skipped: string | null;
  /** Final result of each job replica, by pod name. */
  readonly replicas: Map<string, JUnitCase & { readonly succeeded: boolean }>;
}

/**
 * What happened in a run, kept for the end-of-run summary and the JUnit report. Job replicas are
 * recorded (with their last output lines) when they finish, because their pods and log buffers
 * are gone by the time the run ends.
 */
export class RunRecord {
  readonly startedAt: number;
  private readonly tasks = new Map<string, TaskRecord>();

  constructor(private readonly now: () => number) {
    this.startedAt = now();
  }

  private of(task: string): TaskRecord {
    let record = this.tasks.get(task);
    if (record === undefined) {
      record = { firstStart: null, lastExit: null, restarts: 0, skipped: null, replicas: new Map() };
      this.tasks.set(task, record);
    }
    return record;
  }

  podStarted(task: string): void {
    const record = this.of(task);
    record.firstStart ??= this.now();
  }

  /** A pod's process ended; `final` when it will not be restarted (a job replica's result). */
  podExited(task: string, pod: string, exit: ExitInfo, restarting: boolean, final: { succeeded: boolean; ranMs: number; lines: readonly JUnitOutputLine[] } | null): void {
    const record = this.of(task);
    record.lastExit = this.now();
    if (restarting) record.restarts += 1;
    if (final === null) return;
    record.replicas.set(pod, {
      name: pod,
      durationMs: final.ranMs,
      succeeded: final.succeeded,
      result: final.succeeded ? { type: 'passed' } : unsuccessful(`${pod} ${describeExit(exit)}`, exitKind(exit)),
      output: final.lines.slice(-FAILURE_LINES),
    });
  }

  taskSkipped(task: string, reason: string): void {
    this.of(task).skipped = reason;
  }

  summary(tasks: readonly TaskSpec[], stats: Readonly<Record<string, TaskStats>>, running: (task: string) => boolean): SummaryRow[] {
    const end = this.now();
    return tasks.map((spec) => {
      const record = this.of(spec.name);
      const results = [...record.replicas.values()];
      const succeeded = results.filter((r) => r.succeeded).length;
      const failed = results.length - succeeded;
      const job = isJob(spec);
      const status = record.skipped !== null ? 'skipped' : !job ? 'stopped' : failed > 0 ? 'failed' : succeeded >= spec.replicas ? 'succeeded' : running(spec.name) ? 'running' : 'stopped';
      const s = stats[spec.name];
      return {
        task: spec.name,
        status,
        replicas: spec.replicas,
        succeeded: job ? succeeded : null,
        failed: job ? failed : null,
        restarts: record.restarts,
        delivered: s?.delivered ?? 0,
        acked: s?.acked ?? 0,
        deadLettered: s?.deadLettered ?? 0,
        dropped: (s?.dropped ?? 0) + (s?.rejected ?? 0),
        durationMs: record.firstStart === null ? null : (job && record.lastExit !== null && failed + succeeded >= spec.replicas ? record.lastExit : end) - record.firstStart,
      };
    });
  }

  junit(name: string, tasks: readonly TaskSpec[]): JUnitReport {
    return {
      name,
      startedAt: new Date(this.startedAt),
      durationMs: this.now() - this.startedAt,
      suites: tasks.filter(isJob).map((spec) => {
        const record = this.of(spec.name);
        const cases: JUnitCase[] = [];
        for (let index = 0; index < spec.replicas; index++) {
          const pod = `${spec.name}-${index}`;
          const result = record.replicas.get(pod);
          if (result !== undefined) cases.push(result);
          else {
            const message = record.skipped !== null ? `skipped: ${record.skipped}` : 'did not finish before the run ended';
            cases.push({ name: pod, durationMs: 0, output: [], result: record.skipped !== null ? { type: 'skipped', message } : unsuccessful(message, 'unfinished') });
          }
        }
        return { task: spec.name, cases };
      }),
    };
  }
}

/** An exit code outside success_exit_codes is a test failure; anything else kept the job from reaching one (a JUnit error). */
function unsuccessful(message: string, kind: string): JUnitResult {
  return kind === 'exit-code' ? { type: 'failed', message, kind } : { type: 'errored', message, kind };
}

function exitKind(exit: ExitInfo): string {
  if (exit.startError !== null) return 'start-error';
  return exit.signal !== null ? 'signal' : 'exit-code';
}
