// Runs one scenario: its measurements alternating run by run (ABBA), every failure kept as an error
// of its series (never a crash of the bench), and its rows built from the series.
//
// A scenario module exports { id, roundMs, measurements(ctx), rows(series, ctx) }:
// - measurements: { key: { fn: async () => number | object, orchestrator?: true } | { unavailable: reason } };
//   `orchestrator: true` marks the ones that run our CLI (the only ones --compare runs, once per build).
// - rows: [{ scenario, unit, ours: series, baseline: { label, series } | null, target }] (stats.mjs verdict()).
// - roundMs: a further round of all measurements starts only while this much of the budget is left.
// - runs(): the number of rounds when not the bench's (BENCH_RUNS).
// - share: { key: name } publishes a series to later scenarios of the same bench; a measurement with
//   `from: name` takes that series instead of measuring again (idle-1000 reuses idle-50's 50-pod runs).
import { join } from 'node:path';
import { useCli, useProfDir } from './harness.mjs';
import { addError, addSample, newSeries, runOrder } from './stats.mjs';

const stray = [];
let guarded = false;

/** Errors thrown outside any awaited promise (a stray callback) become the current measurement's, not a crash. */
export function guardProcess() {
  if (guarded) return;
  guarded = true;
  process.on('uncaughtException', (err) => stray.push(err));
  process.on('unhandledRejection', (err) => stray.push(err));
}

async function measureInto(series, run, fn) {
  try {
    addSample(series, run, await fn());
  } catch (err) {
    addError(series, run, err);
  }
  while (stray.length > 0) addError(series, run, stray.shift());
}

/**
 * `variants`: [{ label, cli }]; one ('ours') for the bench table, two ('A', 'B') for --compare, which
 * runs only the orchestrator measurements. Returns { series: { [variant]: { [key]: series } } }.
 */
export async function runMeasurements(mod, ctx, variants, { compare = false, profRoot = null } = {}) {
  const defs = mod.measurements(ctx);
  const shared = (key, v) => (defs[key].from === undefined ? undefined : ctx.shared.get(`${v.label}:${defs[key].from}`));
  const series = Object.fromEntries(variants.map((v) => [v.label, Object.fromEntries(Object.keys(defs).map((k) => [k, shared(k, v) ?? newSeries(defs[k].unavailable ?? null)]))]));
  const keys = Object.keys(defs).filter((k) => !compare || defs[k].orchestrator === true);
  const steps = keys
    .flatMap((key) => (defs[key].orchestrator === true ? variants.map((v) => ({ key, v })) : [{ key, v: variants[0] }]))
    .filter(({ key, v }) => shared(key, v) === undefined);
  const runs = mod.runs?.() ?? ctx.runs;
  for (let r = 0; r < runs; r++) {
    if (r > 0 && ctx.timeLeft() < (mod.roundMs ?? 10000)) break;
    for (const { key, v } of runOrder(r, steps)) {
      const def = defs[key];
      if (def.unavailable) continue;
      useCli(v.cli);
      useProfDir(profRoot !== null && def.orchestrator === true ? join(profRoot, mod.id, variants.length > 1 ? `${key}-${v.label}` : key) : null);
      await measureInto(series[v.label][key], r, def.fn);
    }
  }
  useProfDir(null);
  for (const [key, name] of Object.entries(mod.share ?? {})) for (const v of variants) ctx.shared.set(`${v.label}:${name}`, series[v.label][key]);
  return series;
}

/** Row names for the A/B table: one per distinct (scenario, unit) of the rows' `ours` series. */
export function namedOurs(id, rows) {
  const seen = new Set();
  const out = [];
  for (const row of rows) {
    const name = `${id}: ${row.scenario} [${row.unit}${row.lowerIsBetter ? ' ↓' : ' ↑'}]`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, series: row.ours });
  }
  return out;
}
