import type { OrchestratorConfig } from '../config/types.js';

/**
 * Each task's current `colors` setting, looked up for every line shown; the table is rebuilt only
 * when a reload replaced the config. Unknown tasks (gone after a reload) get false.
 */
export function liveColors(current: () => OrchestratorConfig): (task: string) => boolean {
  const colors = new Map<string, boolean>();
  let from: OrchestratorConfig | null = null;
  return (task) => {
    const config = current();
    if (config !== from) {
      from = config;
      colors.clear();
      for (const t of config.tasks) colors.set(t.name, t.colors);
    }
    return colors.get(task) ?? false;
  };
}
