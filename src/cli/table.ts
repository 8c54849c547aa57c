/** Left-aligned columns separated by three spaces, like kubectl. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** kubectl-style age: 45s, 3m12s, 2h5m, 4d3h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
}

/**
 * `text` cut to at most `width` characters (code points, so a surrogate pair is never split), the
 * last one an ellipsis when cut. Counts characters, not terminal cells: a wide (CJK) character may
 * take two.
 */
export function cut(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

/** Without a terminal (a pipe, a file), lines are cut as if it had this many columns; -o json has it all. */
export const DEFAULT_COLUMNS = 120;

/**
 * formatTable, with the last column (free text such as message data) cut so each line fits in
 * `columns`; at least `minLast` characters of it are kept however wide the other columns are.
 */
export function formatFittedTable(header: readonly string[], rows: readonly (readonly string[])[], columns: number, minLast = 20): string {
  const last = header.length - 1;
  const used = header.slice(0, last).reduce((sum, h, i) => sum + Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)) + 3, 0);
  const room = Math.max(minLast, columns - used);
  return formatTable(header, rows.map((r) => r.map((c, i) => (i === last ? cut(c, room) : c))));
}

/** The width to fit tables in: the terminal's when stdout is one. */
export function outputColumns(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
}
