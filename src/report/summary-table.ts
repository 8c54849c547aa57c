import type { TaskPhase } from '../jobs/task-phase.js';
import { formatElapsed } from './format.js';

/**
 * How a task ended, as shown in the STATUS column: the run's task phases a run can end in, and
 * `stopped` (a service, or a job stopped before it finished).
 */
export type TaskOutcome = Extract<TaskPhase, 'succeeded' | 'failed' | 'skipped' | 'running'> | 'stopped';

/** One task at the end of a run. Counts are totals over all its pods. */
export interface SummaryRow {
  readonly task: string;
  readonly status: TaskOutcome;
  /** Desired replicas. */
  readonly replicas: number;
  /** Jobs: replicas that completed successfully / failed for good; null for services (shown as "-"). */
  readonly succeeded: number | null;
  readonly failed: number | null;
  readonly restarts: number;
  readonly delivered: number;
  readonly acked: number;
  readonly deadLettered: number;
  /** Messages for it discarded without delivery (overflow, task removal, finished job) or rejected. */
  readonly dropped: number;
  /** From the first pod start to the last pod exit (or the end of the run); null if never started. */
  readonly durationMs: number | null;
}

const HEADERS = ['TASK', 'STATUS', 'REPLICAS', 'SUCCEEDED', 'FAILED', 'RESTARTS', 'DELIVERED', 'ACKED', 'DEAD', 'DROPPED', 'DURATION'] as const;
/** Columns from REPLICAS on hold numbers and are right-aligned so digits line up. */
const FIRST_NUMERIC = 2;

/**
 * The end-of-run table: plain text (no colors, no box drawing), columns separated by two spaces,
 * no trailing spaces, one line per row in the given order.
 */
export function formatSummaryTable(rows: readonly SummaryRow[]): string {
  const cells = rows.map((row) => [
    row.task,
    row.status,
    String(row.replicas),
    row.succeeded === null ? '-' : String(row.succeeded),
    row.failed === null ? '-' : String(row.failed),
    String(row.restarts),
    String(row.delivered),
    String(row.acked),
    String(row.deadLettered),
    String(row.dropped),
    row.durationMs === null ? '-' : formatElapsed(row.durationMs),
  ]);
  const table = [[...HEADERS], ...cells];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((line) => (line[i] ?? '').length)));
  return table
    .map((line) =>
      line
        .map((cell, i) => (i >= FIRST_NUMERIC ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
