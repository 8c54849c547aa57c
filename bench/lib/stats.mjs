// Pure parts of the bench: sample series, medians with min–max, the alternation order of the
// measurements, and a row's verdict (ratio to its same-run baseline). No I/O here: the unit tests in
// test/bench/ feed these directly.

/** { median, min, max, n, samples } of numbers, or null when there are none. */
export function stats(samples) {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length, samples: [...samples] };
}

/**
 * The order of the measurements in run `run` (0-based): declared order on even runs, reversed on odd
 * ones (A B, B A, A B, …). Machine drift (load from other processes, thermal, page cache) then falls
 * on every measurement alike instead of always on whichever goes second.
 */
export function runOrder(run, items) {
  return run % 2 === 0 ? [...items] : [...items].reverse();
}

/** The samples of one measurement: values with the run each came from, and the errors of failed runs. */
export function newSeries(unavailable = null) {
  return { samples: [], runs: [], errors: [], unavailable };
}

export function addSample(series, run, value) {
  if (typeof value !== 'number' && (typeof value !== 'object' || value === null)) throw new Error(`a measurement returned ${String(value)}, not a number or an object`);
  series.samples.push(value);
  series.runs.push(run);
}

export function addError(series, run, error) {
  series.errors.push({ run, message: errorText(error) });
}

export function errorText(error) {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/** A series of `f(sample)` (e.g. the p99 of each latency run); keeps runs and errors. A value that is not a finite number is an error of its run. */
export function mapSeries(series, f) {
  const out = newSeries(series.unavailable);
  out.errors = [...series.errors];
  series.samples.forEach((x, i) => {
    const v = f(x);
    if (typeof v === 'number' && !Number.isFinite(v)) addError(out, series.runs[i], `run ${series.runs[i]}: got ${v}, not a finite number`);
    else addSample(out, series.runs[i], v);
  });
  return out;
}

/** `f(a, b)` for each run both series have a sample of; the errors of both. */
export function zipSeries(a, b, f) {
  const out = newSeries(a.unavailable ?? b.unavailable);
  a.runs.forEach((run, i) => {
    const j = b.runs.indexOf(run);
    if (j !== -1) addSample(out, run, f(a.samples[i], b.samples[j]));
  });
  out.errors = [...a.errors, ...b.errors];
  return out;
}

/** The first line of an error, made safe for one markdown table cell. */
export function cellText(message, max = 160) {
  const first = String(message).split('\n').find((l) => l.trim() !== '') ?? String(message);
  const flat = first.replace(/\|/g, '\\|').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A row's verdict. `row.target` is `{ kind: 'ratio-min' | 'ratio-max', value, text }` (ours ÷
 * baseline, both from this run), `{ kind: 'offset-max', value, text }` (ours − baseline ≤ value,
 * in the row's unit: "p50 ≤ baseline + 1 ms") or null (an info row). Status:
 * - 'ERROR': a run of ours or of the baseline failed (a lossy flood, a crashed process), or ours has
 *   no sample at all; `error` is the first failure. A row never passes on the runs that did work.
 * - 'n/a': the baseline cannot run on this machine (`unavailable`, e.g. no nats-server) or has no sample.
 * - 'info': no target. 'pass' / 'FAIL': the ratio against the target.
 */
export function verdict(row) {
  const ours = stats(row.ours.samples);
  const base = row.baseline?.series ?? null;
  const baseline = base === null ? null : stats(base.samples);
  const ratio = ours !== null && baseline !== null && baseline.median !== 0 ? ours.median / baseline.median : null;
  const errors = [...row.ours.errors, ...(base?.errors ?? [])];
  const out = { ours, baseline, ratio, pass: null, status: 'info', error: null, unavailable: base?.unavailable ?? null };
  if (errors.length > 0) return { ...out, status: 'ERROR', pass: false, error: errors[0].message, errors };
  if (ours === null) return { ...out, status: 'ERROR', pass: false, error: 'no run of ours finished within the time budget (BENCH_SCENARIO_BUDGET_MS)' };
  if (!row.target) return out;
  const kind = row.target.kind;
  // An offset needs no ratio: its baseline may be 0 ("at once").
  if (base === null || base.unavailable || baseline === null || (ratio === null && kind !== 'offset-max')) return { ...out, status: 'n/a' };
  const pass = kind === 'ratio-min' ? ratio >= row.target.value : kind === 'ratio-max' ? ratio <= row.target.value : kind === 'offset-max' ? ours.median - baseline.median <= row.target.value : null;
  if (pass === null) throw new Error(`unknown target kind ${row.target.kind}`);
  return { ...out, pass, status: pass ? 'pass' : 'FAIL' };
}

/**
 * The A/B table rows of `--compare`: for each row name, the medians of build A and build B and B ÷ A.
 * A row of either side with errors carries them (its B/A is still shown when both have samples).
 */
export function compareRows(rowsA, rowsB) {
  return rowsA.map((a) => {
    const b = rowsB.find((r) => r.name === a.name);
    const sa = stats(a.series.samples);
    const sb = b === undefined ? null : stats(b.series.samples);
    const errors = [...a.series.errors.map((e) => `A: ${e.message}`), ...(b?.series.errors ?? []).map((e) => `B: ${e.message}`)];
    return { name: a.name, a: sa, b: sb, ratio: sa !== null && sb !== null && sa.median !== 0 ? sb.median / sa.median : null, errors };
  });
}
