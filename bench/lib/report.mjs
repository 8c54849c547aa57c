// The markdown tables: the bench table (ours vs the same-run baseline) and the --compare A/B table.
import { cellText, compareRows, verdict } from './stats.mjs';

export function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

/** median (min–max); `n = k` when fewer runs than asked for finished (errors, or the time budget). */
export const cell = (s, runs = 0) => (s === null || s === undefined ? '—' : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})${s.n < runs ? `, n = ${s.n}` : ''}`);

/** A scenario's row with its verdict, ready for the table and the JSON file. */
export function summarize(id, row) {
  return { id, scenario: row.scenario, unit: row.unit, baselineLabel: row.baseline?.label ?? null, target: row.target ?? null, ...verdict(row), series: { ours: row.ours, baseline: row.baseline?.series ?? null } };
}

function machineLine(machine, runs, alternating) {
  return `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.date.slice(0, 10)}; load average at start ${machine.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${(machine.loadavgAtEnd ?? []).map((x) => x.toFixed(2)).join(' ')}. ${runs} runs per scenario, ${alternating} alternating (ABBA); cells: median (min–max).`;
}

function statusCell(r) {
  if (r.status === 'ERROR') return `**ERROR**: ${cellText(r.error)}`;
  if (r.status === 'FAIL') return '**FAIL**';
  if (r.status === 'n/a') return r.unavailable ? `n/a (${cellText(r.unavailable, 60)})` : 'n/a (no baseline sample)';
  return r.status;
}

export function table(rows, machine, runs) {
  const lines = [machineLine(machine, runs, 'ours and baselines'), '', '| row | scenario | unit | ours | baseline | baseline figure | ours ÷ baseline | target | result |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const ratio = r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`;
    lines.push(`| ${r.id} | ${r.scenario} | ${r.unit} | ${cell(r.ours, runs)} | ${r.baselineLabel ?? '—'} | ${cell(r.baseline, r.unavailable ? 0 : runs)} | ${ratio} | ${r.target?.text ?? '—'} | ${statusCell(r)} |`);
  }
  return lines.join('\n');
}

/** `--compare`: row, A median (min–max), B median (min–max), B/A. `named` rows: { name, series }. */
export function compareTable(namedA, namedB, labels, machine, runs) {
  const lines = [
    machineLine(machine, runs, 'A and B'),
    `A = ${labels.a}, B = ${labels.b}; B/A > 1 is better for rates (↑), < 1 for times and memory (↓).`,
    '',
    '| row | A median (min–max) | B median (min–max) | B/A | errors |',
    '|---|---|---|---|---|',
  ];
  for (const r of compareRows(namedA, namedB)) {
    lines.push(`| ${r.name} | ${cell(r.a, runs)} | ${cell(r.b, runs)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.errors.length === 0 ? '' : cellText(r.errors[0])} |`);
  }
  return lines.join('\n');
}
