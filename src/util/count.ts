/**
 * An integer with thousands separators, as `toLocaleString('en-US')` writes it (`186,007`).
 * Not `toLocaleString`: its first call in a process initialises ICU's number formatting, which
 * blocks the event loop for 100-350 ms on a loaded machine, and the first drop or stall line of a
 * run is logged exactly when the orchestrator is busy.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return n < 0 ? `-${out}` : out;
}
