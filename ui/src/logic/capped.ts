/**
 * Appends to a list kept at most `cap` long, dropping the oldest. The browser tab holds logs and
 * events for the session; the cap keeps a chatty pod from growing the tab without bound.
 */
export function appendCapped<T>(list: readonly T[], added: readonly T[], cap: number): T[] {
  if (added.length === 0) return list as T[];
  const all = list.length + added.length <= cap ? [...list, ...added] : [...list, ...added].slice(-cap);
  return all;
}

/** Log lines a tab keeps; older ones are dropped (the server keeps its own `log_buffer` per pod). */
export const LOG_CAP = 10_000;
/** Events a tab keeps (the server keeps its last 1000). */
export const EVENT_CAP = 1000;
