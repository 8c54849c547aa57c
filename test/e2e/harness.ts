/**
 * Runs the built CLI (dist/cli/main.js) as a real process and waits on its output with latches:
 * no fixed sleeps. Every wait has a deadline so a broken build fails instead of hanging.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// ORCH_DIST lets a second build directory be tested while `dist` is being rebuilt.
export const CLI = join(ROOT, process.env.ORCH_DIST ?? 'dist', 'cli', 'main.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** A fixture script's absolute path as a TOML string, for `command = [${fx('crash.mjs')}]`. */
export const fx = (name: string): string => JSON.stringify(join(FIXTURES, name));

export function tempDir(prefix = 'orch-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes tasks.toml into a fresh temp dir and returns its path. */
export function writeConfig(toml: string, dir = tempDir()): string {
  const file = join(dir, 'tasks.toml');
  writeFileSync(file, toml);
  return file;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class CliRun {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly stderrLines: string[] = [];
  readonly exited: Promise<Exit>;
  private waiters: Array<() => void> = [];

  /** `wrap` runs the bin through a launcher, e.g. `['sh', '-c', 'ulimit -n 120; exec "$@"', 'sh']`. */
  constructor(args: string[], options: { cwd?: string; env?: Record<string, string>; wrap?: readonly string[] } = {}) {
    // The bin itself, as a user runs it: its shebang carries the orchestrator's V8 flags.
    const [launcher, ...launcherArgs] = options.wrap ?? [];
    this.child = spawn(launcher ?? CLI, launcher === undefined ? args : [...launcherArgs, CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    collectLines(this.child.stdout!, this.lines, () => this.wake());
    collectLines(this.child.stderr!, this.stderrLines, () => this.wake());
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code, signal) => resolveExit({ code, signal })));
    void this.exited.then(() => this.wake());
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the matching lines once `count` stdout lines match; rejects after `ms`. */
  async waitFor(pattern: RegExp, count = 1, ms = 15_000): Promise<string[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const matches = this.lines.filter((l) => pattern.test(l));
      if (matches.length >= count) return matches;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${count} × ${pattern}; got ${matches.length}.\n--- stdout:\n${this.lines.join('\n')}\n--- stderr:\n${this.stderrLines.join('\n')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, remaining);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  matching(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async exit(ms = 20_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`orchestrator did not exit within ${ms} ms.\n--- stdout:\n${this.lines.join('\n')}`)), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function collectLines(stream: NodeJS.ReadableStream, into: string[], onLine: () => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    into.push(...parts);
    onLine();
  });
  stream.on('end', () => {
    if (pending !== '') into.push(pending);
    onLine();
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export function runCli(args: string[], options?: { cwd?: string; env?: Record<string, string>; wrap?: readonly string[] }): CliRun {
  return new CliRun(args, options);
}

/** True when `pid` exists and is not a zombie (a slow-reaping init keeps zombies around). */
/** The orchestrator's watchdog: its child whose command line names the reaper, watchdog.js. */
export function watchdogOf(orchestrator: number): number | undefined {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).find((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === orchestrator && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('watchdog.js');
    } catch {
      return false;
    }
  });
}

/** Living processes whose environment holds `name=value` (the pods of one test, whatever they exec'd). */
export function processesWithEnv(name: string, value: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${name}=${value}`) && pidAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours.
    }
  }
  return pids;
}

export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `predicate` holds; rejects after `ms`. For conditions with no event to wait on (a pid gone). */
export async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Strips the optional timestamp and returns `[prefix, marker, text]` of a prefixed line. */
export function splitLine(line: string): { name: string; marker: string; text: string } | null {
  const m = /^(?:\d\d:\d\d:\d\d\.\d{3} )?(\S+)\s+([|!]) (.*)$/.exec(line);
  return m === null ? null : { name: m[1]!, marker: m[2]!, text: m[3]! };
}
