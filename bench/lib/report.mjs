// Medians, min–max, ratios, pass/fail and the markdown table.

export function stats(samples) {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length, samples };
}

/** Adds medians, ratio (ours ÷ baseline) and pass (true / false / null when no target). */
export function summarize(id, row) {
  const ours = stats(row.ours);
  const baseline = row.baseline && stats(row.baseline.samples) ? { label: row.baseline.label, ...stats(row.baseline.samples) } : row.baseline ? { label: row.baseline.label, missing: true } : null;
  const ratio = ours && baseline && !baseline.missing && baseline.median !== 0 ? ours.median / baseline.median : null;
  let pass = null;
  const t = row.target;
  if (row.error) pass = false;
  else if (t && ours) {
    if (t.kind === 'min') pass = ours.median >= t.value;
    else if (t.kind === 'max') pass = ours.median <= t.value;
    else if (t.kind === 'ratio-min') pass = ratio === null ? null : ratio >= t.value;
    else if (t.kind === 'ratio-max') pass = ratio === null ? null : ratio <= t.value;
  }
  return { id, scenario: row.scenario, unit: row.unit, ours, baseline, ratio, target: t, pass, error: row.error };
}

export function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

const cell = (s) => (s === null ? '—' : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`);

export function table(rows, machine) {
  const lines = [
    `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.date.slice(0, 10)}; load average at start ${machine.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}. Cells: median (min–max).`,
    '',
    '| scenario | unit | ours | baseline | baseline figure | ratio | target | pass |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const base = r.baseline === null ? '—' : r.baseline.label;
    const baseCell = r.baseline === null || r.baseline.missing ? '—' : cell(r.baseline);
    const pass = r.error ? 'ERROR' : r.pass === null ? (r.target ? 'n/a' : 'info') : r.pass ? 'pass' : '**FAIL**';
    lines.push(`| ${r.scenario} | ${r.unit} | ${cell(r.ours)} | ${base} | ${baseCell} | ${r.ratio === null ? '—' : r.ratio.toFixed(2) + '×'} | ${r.target?.text ?? '—'} | ${pass} |`);
  }
  return lines.join('\n');
}
