// `node bench/dashboard-cost.mjs`: what the dashboard's API costs the orchestrator, measured in one run
// with its configurations alternated (ABAB…) so machine load hits them alike. Needs `npm run build`.
//   RSS: 50 idle `sleep` pods, run without --ui / with --ui and no client / with --ui and one watch
//        stream open (?logs=*&events=true&stats=true, as a dashboard tab holds it): VmRSS of the
//        orchestrator after SETTLE_MS, median of 5 reads 1 s apart.
//   CPU: 50 pods with traffic (a producer publishing every 400 ms like the demo, 48 round-robin shell
//        workers replying, a broadcast logger): CPU ticks of the orchestrator over WINDOW_MS, without
//        and with one watch stream open.
// ROUNDS (default 2), SETTLE_MS (default 15000), WINDOW_MS (default 20000) override the defaults.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const rounds = Number(process.env.ROUNDS ?? 2);
const settleMs = Number(process.env.SETTLE_MS ?? 15000);
const windowMs = Number(process.env.WINDOW_MS ?? 20000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const IDLE = '[tasks.idle]\ncommand = "sleep 3600"\nreplicas = 50\n';
const TRAFFIC = `[tasks.producer]\ncommand = ["node", ${JSON.stringify(join(ROOT, 'examples', 'producer.mjs'))}]\n\n` +
  `[tasks.worker]\ncommand = [${JSON.stringify(join(ROOT, 'test', 'fixtures', 'reply-per-line.sh'))}]\nreplicas = 48\nsubscribe = ["jobs"]\nmode = "round_robin"\nshow_stdout = false\n\n` +
  '[tasks.logger]\ncommand = "cat"\nsubscribe = ["jobs.result"]\nshow_stdout = false\n';

function statusOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssKb: Number(/VmRSS:\s+(\d+)/.exec(status)[1]), ticks: Number(f[11]) + Number(f[12]) };
}

async function start(toml, ui, pods = 50) {
  const dir = mkdtempSync(join(tmpdir(), 'orch-dash-cost-'));
  writeFileSync(join(dir, 'tasks.toml'), toml);
  const child = spawn(CLI, ['run', join(dir, 'tasks.toml'), ...(ui ? ['--ui'] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  for (let i = 0; i < 600 && (out.match(/ started \(pid/g) ?? []).length < pods; i++) await sleep(100);
  return { child, socket: join(dir, '.orchestrator', 'control.sock') };
}

async function stop(run) {
  run.child.kill('SIGINT');
  await new Promise((r) => run.child.once('exit', r));
}

function openWatch(socketPath) {
  let lines = 0;
  const req = request({ socketPath, path: '/v1/watch?logs=*&events=true&stats=true' }, (res) => res.on('data', (c) => (lines += c.toString().split('\n').length - 1)));
  req.on('error', () => {});
  req.end();
  return { close: () => req.destroy(), lines: () => lines };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function rss(ui, watch) {
  const run = await start(IDLE, ui);
  const w = watch ? openWatch(run.socket) : null;
  await sleep(settleMs);
  const reads = [];
  for (let i = 0; i < 5; i++, await sleep(1000)) reads.push(statusOf(run.child.pid).rssKb / 1024);
  w?.close();
  await stop(run);
  return median(reads);
}

async function cpu(watch) {
  const run = await start(TRAFFIC, true);
  await sleep(3000);
  const w = watch ? openWatch(run.socket) : null;
  await sleep(1000);
  const before = statusOf(run.child.pid).ticks;
  await sleep(windowMs);
  const used = statusOf(run.child.pid).ticks - before;
  const lines = w?.lines() ?? 0;
  w?.close();
  await stop(run);
  return { pct: (used / (windowMs / 10)) * 100, lines };
}

const results = { rssPlain: [], rssUi: [], rssUiWatch: [], cpuNoWatch: [], cpuWatch: [], watchLines: [] };
for (let r = 0; r < rounds; r++) {
  results.rssPlain.push(await rss(false, false));
  results.rssUi.push(await rss(true, false));
  results.rssUiWatch.push(await rss(true, true));
  results.cpuNoWatch.push((await cpu(false)).pct);
  const watched = await cpu(true);
  results.cpuWatch.push(watched.pct);
  results.watchLines.push(watched.lines);
}
const fmt = (xs, d = 1) => `${median(xs).toFixed(d)} (${xs.map((x) => x.toFixed(d)).join(', ')})`;
console.log(`rounds ${rounds}, settle ${settleMs} ms, window ${windowMs} ms; median (each round)`);
console.log(`RSS, 50 idle pods, no --ui:               ${fmt(results.rssPlain)} MB`);
console.log(`RSS, 50 idle pods, --ui, no client:       ${fmt(results.rssUi)} MB`);
console.log(`RSS, 50 idle pods, --ui, one watch open:  ${fmt(results.rssUiWatch)} MB`);
console.log(`CPU, 50 pods with traffic, no watch:      ${fmt(results.cpuNoWatch)} % of a core`);
console.log(`CPU, 50 pods with traffic, watch open:    ${fmt(results.cpuWatch)} % of a core (${fmt(results.watchLines, 0)} lines received)`);
