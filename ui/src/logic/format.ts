/** Display formats. Times are epoch milliseconds; `now` is passed in so views and tests agree. */

export function formatAge(since: number | null, now: number): string {
  if (since === null) return '-';
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 > 0 && m < 10 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 > 0 && h < 10 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 > 0 ? `${h % 24}h` : ''}`;
}

/** Bytes as KiB / MiB / GiB with one decimal under 10. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)}${units[unit]}`;
}

/** CPU as a percentage of one core (the API's `cpu`); null until a second sample. */
export function formatCpu(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '-';
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)}%`;
}

export function formatClock(at: number): string {
  const d = new Date(at);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
