/**
 * Merges lines or events that carry a global `seq` (arrival order): a backlog read with a plain GET
 * and a live stream opened just before it overlap, and each line must show once, in order.
 */
export function mergeBySeq<T extends { readonly seq: number }>(list: readonly T[], added: readonly T[]): T[] {
  if (added.length === 0) return list as T[];
  const last = list.length === 0 ? -Infinity : (list[list.length - 1] as T).seq;
  if (added.every((item, i) => item.seq > (i === 0 ? last : (added[i - 1] as T).seq))) return [...list, ...added];
  const bySeq = new Map<number, T>();
  for (const item of list) bySeq.set(item.seq, item);
  for (const item of added) bySeq.set(item.seq, item);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
