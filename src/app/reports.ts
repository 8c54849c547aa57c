import type { Bus } from '../bus/bus.js';
import type { OrchestratorConfig } from '../config/types.js';
import type { RunRecord } from '../observe/run-record.js';
import { formatSummaryTable } from '../report/index.js';
import type { TaskRegistry } from './task-registry.js';

/** The end-of-run table, with desired replicas as they are now (after any `scale`), not as the file had them. */
export function summaryTable(record: RunRecord, config: OrchestratorConfig, tasks: TaskRegistry, bus: Pick<Bus, 'stats'>): string {
  const running = (task: string): boolean => (tasks.get(task)?.alive().length ?? 0) > 0;
  const specs = config.tasks.map((t) => ({ ...t, replicas: tasks.get(t.name)?.replicas ?? t.replicas }));
  return formatSummaryTable(record.summary(specs, bus.stats().tasks, running));
}
