// Summarises .cpuprofile files (node --cpu-prof): top functions by self time.
// Usage: node bench/profile-summary.mjs <file-or-dir>… [--top 25]
// Profile the orchestrator in a scenario: BENCH_PROF=/tmp/prof BENCH_RUNS=1 npm run bench -- broadcast
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? 25 : Number(args.splice(topAt, 2)[1]);
const files = args.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p]));

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${relative(process.cwd(), url.replace('file://', ''))}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    const t = dt[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + t);
    total += t;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`\n## ${file} (${(total / 1000).toFixed(0)} ms sampled)\n`);
  console.log('| self % | self ms | function |\n|---:|---:|---|');
  for (const [k, t] of rows) console.log(`| ${((100 * t) / total).toFixed(1)} | ${(t / 1000).toFixed(0)} | ${k} |`);
}
