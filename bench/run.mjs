// `npm run bench`: runs every scenario in bench/scenarios (or those named: `npm run bench -- latency flood`),
// each with its baselines measured in the same run, alternating (ABBA), prints a markdown table and
// writes the raw numbers to bench/results/<YYYY-MM-DD>.json. Needs `npm run build` first; the NATS
// baselines need nats-server on PATH (else their rows are n/a).
// `npm run bench -- --compare REV [rows…]`: builds REV in a temp worktree and runs the orchestrator
// measurements of the rows for REV (A) and this build (B) alternately; prints row, A, B, B/A.
// BENCH_PROF=<dir>: --cpu-prof every orchestrator run; a per-row summary of where the time goes follows the table.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRevision, describeHead } from './lib/compare.mjs';
import { BENCH_DIR, CLI, envNum, ROOT, startNats } from './lib/harness.mjs';
import { profileReport } from './lib/profile.mjs';
import { compareTable, summarize, table } from './lib/report.mjs';
import { guardProcess, namedOurs, runMeasurements } from './lib/runner.mjs';
import { errorText, newSeries } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const compareAt = argv.indexOf('--compare');
const compareRev = compareAt === -1 ? null : argv[compareAt + 1];
if (compareAt !== -1 && (compareRev === undefined || compareRev.startsWith('-'))) {
  console.error('usage: npm run bench -- --compare REV [row ids…]');
  process.exit(2);
}
const only = argv.filter((_, i) => compareAt === -1 || (i !== compareAt && i !== compareAt + 1)).concat((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
if (!existsSync(CLI)) {
  console.error(`${CLI} not found: run \`npm run build\` first`);
  process.exit(2);
}

const runs = envNum('BENCH_RUNS', 5);
const budgetMs = envNum('BENCH_SCENARIO_BUDGET_MS', 240000);
const timeoutMs = envNum('BENCH_TIMEOUT_MS', 120000);
const profRoot = process.env.BENCH_PROF ? resolve(process.env.BENCH_PROF) : null;
const dir = join(BENCH_DIR, 'scenarios');
const modules = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) modules.push((await import(pathToFileURL(join(dir, file)).href)).default);
const unknown = only.filter((id) => !modules.some((m) => m.id === id));
if (unknown.length > 0) {
  console.error(`unknown row id(s): ${unknown.join(', ')}; known: ${modules.map((m) => m.id).join(', ')}`);
  process.exit(2);
}

guardProcess();
let rev = null;
if (compareRev !== null) {
  try {
    rev = buildRevision(compareRev);
  } catch (err) {
    console.error(errorText(err));
    process.exit(1);
  }
}
const variants = rev === null ? [{ label: 'ours', cli: CLI }] : [{ label: 'A', cli: rev.cli }, { label: 'B', cli: CLI }];

const nats = rev === null ? await startNats() : null;
if (rev === null && nats === null) console.error('nats-server not on PATH: NATS baselines skipped, their rows are n/a (apt-get install nats-server)');

const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, memGb: +(totalmem() / 2 ** 30).toFixed(1), loadavgAtStart: loadavg(), date: new Date().toISOString() };
const rows = [];
const named = { A: [], B: [] };
const scenarios = [];
const shared = new Map();
try {
  for (const mod of modules) {
    if (only.length > 0 && !only.includes(mod.id)) continue;
    const started = Date.now();
    const ctx = { runs, timeoutMs, natsUrl: nats?.url ?? null, shared, timeLeft: () => budgetMs - (Date.now() - started) };
    process.stderr.write(`• ${mod.id} … `);
    let result;
    let series = null;
    try {
      series = await runMeasurements(mod, ctx, variants, { compare: rev !== null, profRoot });
      // abOnly rows (orchestrator CPU per message) are for the A/B table: they have no baseline here.
      if (rev === null) result = mod.rows(series.ours, ctx).filter((row) => row.abOnly !== true).map((row) => summarize(mod.id, row));
      else for (const v of ['A', 'B']) named[v].push(...namedOurs(mod.id, mod.rows(series[v], ctx)));
    } catch (err) {
      // The scenario itself is broken (not one of its runs): one error row, and the bench goes on.
      const failed = newSeries();
      failed.errors.push({ run: -1, message: errorText(err) });
      result = [summarize(mod.id, { scenario: mod.id, unit: '', ours: failed, baseline: null, target: null })];
      if (rev !== null) for (const v of ['A', 'B']) named[v].push({ name: `${mod.id}: (scenario failed)`, series: failed });
    }
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`${seconds.toFixed(1)} s\n`);
    for (const r of result ?? []) if (r.error) process.stderr.write(`  ${r.scenario} [${r.unit}]: ${r.error}\n`);
    scenarios.push({ id: mod.id, seconds, series });
    rows.push(...(result ?? []));
  }
} finally {
  await nats?.stop();
  rev?.remove();
}

machine.loadavgAtEnd = loadavg();
let md = rev === null ? table(rows, machine, runs) : compareTable(named.A, named.B, { a: rev.label, b: `this build (${relative(ROOT, CLI)}, worktree at ${describeHead()})` }, machine, runs);
if (profRoot !== null) md += `\n\n${profileReport(profRoot)}`;
console.log(md);
const resultsDir = join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
// A partial, A/B or profiled run must not overwrite the day's full results.
const suffix = `${rev === null ? '' : `-compare-${compareRev.replace(/[^\w.-]/g, '_')}`}${profRoot === null ? '' : '-prof'}${only.length > 0 ? `-${only.join('-')}` : ''}`;
const file = join(resultsDir, `${machine.date.slice(0, 10)}${suffix}.json`);
writeFileSync(file, JSON.stringify({ machine, runs, env: benchEnv(), compare: rev?.label ?? null, scenarios, rows, named, markdown: md }, null, 2) + '\n');
console.error(`raw results: ${file}`);
process.exit(rows.some((r) => r.status === 'ERROR') || [...named.A, ...named.B].some((r) => r.series.errors.length > 0) ? 1 : 0);

function benchEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')));
}
