// Process, /proc and orchestrator helpers shared by the scenarios.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH_DIR, '..');
export const FIXTURES = join(BENCH_DIR, 'fixtures');
// ORCH_DIST benchmarks another build directory (e.g. `npx tsc -p tsconfig.build.json --outDir dist-perf`),
// relative to the repository or absolute. `--compare` switches between two builds with useDist().
export const CLI = cliOf(process.env.ORCH_DIST ?? 'dist');
let cli = CLI;
let profDir = process.env.BENCH_PROF || null;

export function cliOf(dist) {
  return join(resolve(ROOT, dist), 'cli', 'main.js');
}

/** The CLI the next startOrchestrator() runs (measurements run one at a time, so a setting is enough). */
export function useCli(path) {
  cli = path;
}

export function cliPath() {
  return cli;
}

/** Where the next orchestrator writes its --cpu-prof profile (null: not profiled). */
export function useProfDir(dir) {
  profDir = dir;
}

export function fixture(name) {
  return join(FIXTURES, name);
}

/** A number from the environment (sizes, runs, budgets). */
export function envNum(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name}: not a number: ${raw}`);
  return n;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function scratch(prefix) {
  return mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Every `<prefix>.*.json` result file written by fixtures with BENCH_OUT=<prefix>. */
export function readResults(prefix) {
  const dir = dirname(prefix);
  const base = prefix.slice(dir.length + 1) + '.';
  return readdirSync(dir)
    .filter((f) => f.startsWith(base) && f.endsWith('.json'))
    .map((f) => ({ name: f.slice(base.length, -5), ...JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

/** Waits until `check()` returns something truthy (polling), or throws after timeoutMs. */
export async function waitUntil(check, timeoutMs, what, everyMs = 20) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Spawns a process; `exited` resolves with { code, signal }. stdout lines go to `onLine` when given;
 * the last few KB of stdout/stderr are kept for error messages. Killed (SIGKILL, its group) after timeoutMs.
 */
export function run(file, args, options = {}) {
  const { env = {}, onLine, timeoutMs = 60000, stdio, detached = true } = options;
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: stdio ?? ['pipe', 'pipe', 'pipe'], detached });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  let carry = '';
  child.stdout?.on('data', (chunk) => {
    keep(chunk);
    if (onLine === undefined) return;
    const text = carry + chunk.toString();
    const lines = text.split('\n');
    carry = lines.pop();
    for (const line of lines) onLine(line);
  });
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => {});
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, 'SIGKILL');
  }, timeoutMs);
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolveExit({ code, signal, timedOut });
    });
  });
  return { child, pid: child.pid, exited, tail: () => tail, kill: (sig = 'SIGTERM') => killGroup(child.pid, sig) };
}

export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

/** Fails loudly with the process output when it did not exit with one of `codes`. */
export async function expectExit(proc, what, codes = [0]) {
  const { code, signal, timedOut } = await proc.exited;
  if (timedOut) throw new Error(`${what}: timed out\n${proc.tail()}`);
  if (!codes.includes(code)) throw new Error(`${what}: exit ${code ?? signal}\n${proc.tail()}`);
}

// ---- /proc ----------------------------------------------------------------------------------

const CLK_TCK = 100;

/** { rssKb, hwmKb } of a live pid, or null. */
export function memOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    const m = { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
    // A zombie (exited, not yet reaped) has no Vm* lines: no sample, rather than a NaN peak.
    return Number.isNaN(m.rssKb) || Number.isNaN(m.hwmKb) ? null : m;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) used so far by a live pid, or null. */
export function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

/** Samples a pid's memory every `everyMs`; peak() is the max VmHWM / VmRSS seen. */
export function sampleMemory(pid, everyMs = 50) {
  let peakHwm = 0;
  let peakRss = 0;
  const take = () => {
    const m = memOf(pid);
    if (m === null) return;
    peakHwm = Math.max(peakHwm, m.hwmKb);
    peakRss = Math.max(peakRss, m.rssKb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    take,
    stop() {
      clearInterval(timer);
      take();
      return { peakHwmMb: peakHwm / 1024, peakRssMb: peakRss / 1024 };
    },
  };
}

// ---- the orchestrator -----------------------------------------------------------------------

/** TOML for one task. `values` keys are tasks.toml keys; strings, numbers, booleans, arrays, flat tables. */
export function task(name, values) {
  const lit = (v) => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
    if (typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k} = ${lit(x)}`).join(', ')} }`;
    return String(v);
  };
  return `[tasks.${name}]\n${Object.entries(values).map(([k, v]) => `${k} = ${lit(v)}`).join('\n')}\n`;
}

/**
 * Starts `node dist/cli/main.js run <dir>/tasks.toml --log-level warn` (with --cpu-prof when
 * BENCH_PROF=<dir>; `options.nodeArgs`: further Node flags, e.g. --trace-gc). Returns the process
 * handle (pid = the orchestrator's own pid).
 */
/** The Node flags in the bin's shebang (`#!/usr/bin/env -S node --flag …`), which `node main.js` would skip. */
function shebangNodeArgs() {
  const first = readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
  const words = first.replace(/^#!\S*env\s+(-S\s+)?/, '').split(/\s+/).filter(Boolean);
  return words[0] === 'node' ? words.slice(1) : [];
}

export function startOrchestrator(dir, toml, options = {}) {
  const file = join(dir, 'tasks.toml');
  writeFileSync(file, toml);
  const prof = profDir;
  // BENCH_NODE_ARGS: V8/Node flags for the orchestrator only (e.g. "--max-semi-space-size=1").
  const nodeArgs = [...shebangNodeArgs(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(options.nodeArgs ?? [])];
  if (prof) {
    mkdirSync(prof, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${prof}`);
  }
  const logArgs = options.logArgs ?? ['--log-level', 'warn'];
  return run(process.execPath, [...nodeArgs, cli, 'run', file, ...logArgs, '--no-color'], { timeoutMs: options.timeoutMs ?? 60000, onLine: options.onLine });
}

// ---- NATS -----------------------------------------------------------------------------------

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** nats-server on PATH, else Debian's /usr/sbin/nats-server (not on a non-root PATH); null when absent. */
export function natsAvailable() {
  const paths = [...(process.env.PATH ?? '').split(':'), '/usr/sbin'];
  for (const p of paths) {
    try {
      accessSync(join(p, 'nats-server'), constants.X_OK);
      return join(p, 'nats-server');
    } catch {
      /* next */
    }
  }
  return null;
}

/** Starts nats-server on a random loopback port; { url, stop() }. */
export async function startNats() {
  const bin = natsAvailable();
  if (bin === null) return null;
  const port = await freePort();
  let ready = false;
  const proc = run(bin, ['-a', '127.0.0.1', '-p', String(port)], { timeoutMs: 30 * 60 * 1000 });
  proc.child.stderr.on('data', (c) => {
    if (c.toString().includes('Server is ready')) ready = true;
  });
  await waitUntil(() => ready, 5000, 'nats-server');
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await proc.exited;
    },
  };
}
