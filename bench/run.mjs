// `npm run bench`: runs every scenario in bench/scenarios (or those named: `npm run bench -- latency flood`),
// each with its baselines measured in the same run, prints a markdown table and writes the raw numbers
// to bench/results/<YYYY-MM-DD>.json. Needs `npm run build` first; NATS baselines need nats-server on PATH.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, CLI, envNum, startNats } from './lib/harness.mjs';
import { summarize, table } from './lib/report.mjs';

if (!existsSync(CLI)) {
  console.error(`${CLI} not found: run \`npm run build\` first`);
  process.exit(2);
}

const only = process.argv.slice(2).concat((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const runs = envNum('BENCH_RUNS', 3);
const budgetMs = envNum('BENCH_SCENARIO_BUDGET_MS', 55000);
const dir = join(BENCH_DIR, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort();

const nats = await startNats();
if (nats === null) console.error('nats-server not on PATH: NATS baselines skipped (apt-get install nats-server)');

const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, memGb: +(totalmem() / 2 ** 30).toFixed(1), loadavgAtStart: loadavg(), date: new Date().toISOString() };
const rows = [];
const scenarios = [];
try {
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)).default;
    if (only.length > 0 && !only.includes(mod.id)) continue;
    const started = Date.now();
    const ctx = { runs, natsUrl: nats?.url ?? null, timeLeft: () => budgetMs - (Date.now() - started) };
    process.stderr.write(`• ${mod.id} … `);
    let result;
    try {
      result = (await mod.run(ctx)).map((row) => summarize(mod.id, row));
    } catch (err) {
      result = [summarize(mod.id, { scenario: mod.id, unit: '', ours: [], baseline: null, target: { kind: 'error', text: 'runs without error' }, error: String(err?.stack ?? err) })];
    }
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`${seconds.toFixed(1)} s\n`);
    for (const r of result) if (r.error) process.stderr.write(`  error: ${r.error}\n`);
    scenarios.push({ id: mod.id, seconds });
    rows.push(...result);
  }
} finally {
  await nats?.stop();
}

machine.loadavgAtEnd = loadavg();
const md = table(rows, machine);
console.log(md);
const resultsDir = join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
// A partial run (scenarios named) must not overwrite the day's full results.
const file = join(resultsDir, `${machine.date.slice(0, 10)}${only.length > 0 ? `-${only.join("-")}` : ""}.json`);
writeFileSync(file, JSON.stringify({ machine, runs, env: benchEnv(), scenarios, rows, markdown: md }, null, 2) + '\n');
console.error(`raw results: ${file}`);

function benchEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')));
}
