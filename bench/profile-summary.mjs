// Summarises .cpuprofile files (node --cpu-prof): top functions and areas by self time.
// Usage: node bench/profile-summary.mjs <file-or-dir>… [--top 25]
// `BENCH_PROF=/tmp/prof npm run bench -- broadcast` profiles every orchestrator run and prints the
// same summary per scenario and measurement at the end (profiles in /tmp/prof/<scenario>/<measurement>/).
import { profileFiles, summarizeProfiles } from './lib/profile.mjs';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? 25 : Number(args.splice(topAt, 2)[1]);
const s = summarizeProfiles(profileFiles(args), top);
console.log(`${s.files} profiles, ${s.busyMs.toFixed(0)} ms busy of ${s.totalMs.toFixed(0)} ms sampled\n`);
console.log(`By area: ${s.areas.map((a) => `${a.name} ${a.pct.toFixed(1)} %`).join(', ')}\n`);
console.log('| self % | self ms | function |\n|---:|---:|---|');
for (const f of s.top) console.log(`| ${f.pct.toFixed(1)} | ${f.ms.toFixed(0)} | ${f.name} |`);
