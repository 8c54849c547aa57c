/**
 * Helpers for control-plane e2e tests: run a CLI verb to completion, wait for an instance's
 * control socket, read PIDs from `ps -o json`. Latches and deadlines only, no fixed sleeps.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import type { PodInfo, TaskInfo } from '../../src/control/target.js';
import { runCli, until, type CliRun } from './harness.js';

export interface VerbResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `orchestrator <args>` to completion. */
export async function verb(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<VerbResult> {
  const run = runCli(args, options);
  if (options.input !== undefined) run.child.stdin?.end(options.input);
  else run.child.stdin?.end();
  const exit = await run.exit();
  return { code: exit.code, stdout: run.lines.join('\n'), stderr: run.stderrLines.join('\n') };
}

/** Runs a verb that must succeed and parses its `-o json` output. */
export async function json<T>(args: string[], file: string): Promise<T> {
  const result = await verb([...args, '-f', file, '-o', 'json']);
  if (result.code !== 0) throw new Error(`orchestrator ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function socketOf(file: string): string {
  return join(dirname(file), '.orchestrator', 'control.sock');
}

/** GET `path` of the control API of the run of `file` (its unix socket); rejects on a status other than 200. */
export function apiGet<T>(file: string, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socketOf(file), path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`GET ${path}: ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** SIGKILLs a run that a failed test left behind (a passing test stops its run itself). */
export async function killLeftover(run: CliRun | null): Promise<void> {
  if (run === null || run.child.exitCode !== null) return;
  run.signal('SIGKILL');
  await run.exit();
}

/** Starts `run` and resolves once its control socket exists and `count` pods report started. */
export async function startRun(file: string, startedPods: number, extra: string[] = []): Promise<CliRun> {
  const run = runCli(['run', file, '--no-timestamps', ...extra]);
  await run.waitFor(/ started \(pid \d+\)$/, startedPods);
  await until(() => existsSync(socketOf(file)), 5000, 'the control socket exists');
  return run;
}

export async function pods(file: string): Promise<PodInfo[]> {
  return (await json<{ pods: PodInfo[] }>(['ps'], file)).pods;
}

export async function tasks(file: string): Promise<TaskInfo[]> {
  return (await json<{ tasks: TaskInfo[] }>(['tasks'], file)).tasks;
}

/** name → pid of the pods that are running. */
export async function pids(file: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of await pods(file)) if (p.pid !== null && p.status === 'running') out[p.name] = p.pid;
  return out;
}

/** Polls `ps` until `predicate` holds (there is no event to wait on from outside but the API itself). */
export async function untilPods(file: string, predicate: (pods: PodInfo[]) => boolean, what: string, ms = 15_000): Promise<PodInfo[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const current = await pods(file);
    if (predicate(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; pods: ${JSON.stringify(current.map((p) => [p.name, p.status, p.pid]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops the instance through the API and expects a clean exit 0. */
export async function stopRun(run: CliRun, file: string): Promise<void> {
  const result = await verb(['stop', '-f', file]);
  if (result.code !== 0) throw new Error(`stop failed: ${result.stdout} ${result.stderr}`);
  const exit = await run.exit();
  if (exit.code !== 130) throw new Error(`run exited ${exit.code}, expected 130 (stopped via the API)`);
}
