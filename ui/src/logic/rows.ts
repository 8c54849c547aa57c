/** Keeps the pod and task tables in the order the API gives, replacing changed rows by name. */
export interface Named {
  readonly name: string;
}

/** Rows after a `changed` line: changed rows replace theirs (new ones are appended), `gone` are removed. */
export function mergeRows<T extends Named>(rows: readonly T[], changed: readonly T[], gone: readonly string[] = []): T[] {
  const byName = new Map(changed.map((row) => [row.name, row]));
  const goneSet = new Set(gone);
  const kept = rows.filter((row) => !goneSet.has(row.name)).map((row) => byName.get(row.name) ?? row);
  const known = new Set(rows.map((row) => row.name));
  for (const row of changed) if (!known.has(row.name) && !goneSet.has(row.name)) kept.push(row);
  return kept;
}

/** Pods grouped under their task, tasks in their order, pods by replica index. */
export function podsByTask<P extends { readonly task: string; readonly index: number }>(pods: readonly P[]): Map<string, P[]> {
  const groups = new Map<string, P[]>();
  for (const pod of pods) {
    const list = groups.get(pod.task) ?? [];
    list.push(pod);
    groups.set(pod.task, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.index - b.index);
  return groups;
}
