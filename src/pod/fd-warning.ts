import type { TaskSpec } from '../config/types.js';
import type { Logger } from '../util/logger.js';
import { fdLimitWarning, openFileUsage } from './fd-limit.js';

/** At start: warns when the configured replicas would use up most of the open-file limit. */
export function warnIfFdLimitTight(tasks: readonly TaskSpec[], logger: Logger): void {
  const usage = openFileUsage();
  if (usage === null) return;
  const replicas = tasks.reduce((sum, task) => sum + task.replicas, 0);
  const warning = fdLimitWarning(replicas, usage);
  if (warning !== null) logger.warn({ replicas, openFiles: usage.open, limit: usage.soft }, warning);
}
