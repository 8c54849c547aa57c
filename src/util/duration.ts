const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** One or more `<number><unit>` parts: `250ms`, `10s`, `1.5m`, `1h`, `1m30s`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Milliseconds, rounded to a whole number. Never accepts a unitless number. */
export function parseDuration(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (!DURATION_PATTERN.test(trimmed)) {
    return { ok: false, error: `invalid duration ${JSON.stringify(text)}: use a number with a unit (ms, s, m, h), e.g. "500ms", "10s", "1m30s"` };
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return { ok: true, value: Math.round(total) };
}

/** The shortest exact rendering: 90000 → "1m30s", 250 → "250ms", 0 → "0ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0ms';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return rest > 0 ? `${out}${rest}ms` : out;
}
