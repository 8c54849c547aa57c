import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover, socketOf, verb } from './control-harness.js';
import { FIXTURES, fx, pidAlive, processesWithEnv, watchdogOf, ROOT, runCli, tempDir, until, writeConfig, type CliRun } from './harness.js';

/** Living processes whose environment holds HARDENING_MARK=`mark` (the pods of one test). */
const marked = (mark: string): number[] => processesWithEnv('HARDENING_MARK', mark);

let runs: CliRun[] = [];
let marks: string[] = [];

afterEach(async () => {
  for (const run of runs) await killLeftover(run);
  // A failed test must not leave its sleepers running; only processes carrying its mark are touched.
  for (const mark of marks) for (const pid of marked(mark)) process.kill(pid, 'SIGKILL');
  runs = [];
  marks = [];
});

interface Sleepers {
  readonly dir: string;
  readonly file: string;
  readonly mark: string;
}

/** `replicas` sleepers that SIGKILL the orchestrator as they start when `killAt` (replica) or the arm file says so. */
function sleepers(replicas: number, options: { killAt?: number; extra?: string } = {}): Sleepers {
  const dir = tempDir();
  const mark = randomUUID();
  marks.push(mark);
  const file = join(dir, 'tasks.toml');
  const env = [`HARDENING_MARK = "${mark}"`, `KILL_MARK = ${JSON.stringify(file)}`, `KILL_ARMED = ${JSON.stringify(join(dir, 'armed'))}`];
  if (options.killAt !== undefined) env.push(`KILL_AT = "${options.killAt}"`);
  writeConfig(`[tasks.sleeper]\ncommand = [${fx('kill-orchestrator-on-start.sh')}]\nreplicas = ${replicas}\nenv = { ${env.join(', ')} }\n${options.extra ?? ''}`, dir);
  return { dir, file, mark };
}

function start(file: string, options: { wrap?: readonly string[] } = {}): CliRun {
  const run = runCli(['run', file, '--no-timestamps'], options);
  runs.push(run);
  return run;
}

const startedPid = (line: string): number => Number(/started \(pid (\d+)\)$/.exec(line)![1]);

/** The SIGKILLed run's pods are all gone within 3 s of its death. */
async function expectNoPodLeft(run: CliRun, mark: string): Promise<void> {
  expect(await run.exit()).toEqual({ code: null, signal: 'SIGKILL' });
  await until(() => marked(mark).length === 0, 3000, `no pod of the killed orchestrator is left (left: ${marked(mark).join(' ')})`);
}

describe('a SIGKILLed orchestrator leaves no pod behind, at any instant', () => {
  it.each([0, 1, 29, 59])('killed the instant replica %i of 60 starts', async (killAt) => {
    const { file, mark } = sleepers(60, { killAt });
    const run = start(file);
    await expectNoPodLeft(run, mark);
  });

  it('killed right after the first "started" line', async () => {
    const { file, mark } = sleepers(60);
    const run = start(file);
    await run.waitFor(/sleeper-\d+ started \(pid \d+\)$/);
    run.signal('SIGKILL');
    await expectNoPodLeft(run, mark);
  });

  it('killed the instant a restarted pod starts', async () => {
    const { dir, file, mark } = sleepers(60);
    const run = start(file);
    const started = await run.waitFor(/sleeper-\d+ started \(pid \d+\)$/, 60);
    // Arm only once every pod has passed its arm check: a pod still before it would fire too.
    const checked = (): number => (existsSync(join(dir, 'armed.checked')) ? readFileSync(join(dir, 'armed.checked'), 'utf8').split('\n').filter(Boolean).length : 0);
    await until(() => checked() === 60, 10_000, 'all 60 pods passed their arm check');
    writeFileSync(join(dir, 'armed'), '');
    const victim = /(sleeper-\d+) started/.exec(started[7]!)![1];
    process.kill(startedPid(started[7]!), 'SIGKILL');
    await expectNoPodLeft(run, mark);
    // The orchestrator was killed by the restarted pod (its own "restarting" line may not have reached us).
    expect(readFileSync(join(dir, 'armed.by'), 'utf8')).toBe(`${victim}\n`);
  });

  it('killed the instant the surge pod of a rolling restart starts', async () => {
    // The surge pod takes the lowest free index, 60: it is the one armed.
    const { file, mark } = sleepers(60, { killAt: 60 });
    const run = start(file);
    await run.waitFor(/sleeper-\d+ started \(pid \d+\)$/, 60);
    await until(() => existsSync(socketOf(file)), 5000, 'the control socket exists');
    // The verb loses its orchestrator mid-rollout; only the pods matter here.
    await verb(['restart', 'sleeper', '-f', file]);
    await expectNoPodLeft(run, mark);
  });

  it('the next run in the directory reaps what a SIGKILLed orchestrator and watchdog both left', async () => {
    const { dir, file, mark } = sleepers(10);
    const first = start(file);
    const oldPids = (await first.waitFor(/sleeper-\d+ started \(pid \d+\)$/, 10)).map(startedPid);
    const orchestrator = first.child.pid!;
    const watchdog = watchdogOf(orchestrator);
    expect(watchdog).toBeDefined();
    // Frozen first, so it cannot notice its watchdog die before it dies itself.
    process.kill(orchestrator, 'SIGSTOP');
    process.kill(watchdog!, 'SIGKILL');
    await until(() => !pidAlive(watchdog!), 3000, 'the watchdog is gone');
    process.kill(orchestrator, 'SIGKILL');
    expect(await first.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(marked(mark).sort()).toEqual([...oldPids].sort());
    expect(statSync(join(dir, '.orchestrator', 'pods.json')).mode & 0o777).toBe(0o600);

    const second = start(file);
    await second.waitFor(new RegExp(`reaped 10 process group\\(s\\) left by a previous run \\(pid ${orchestrator}\\) that did not stop cleanly$`));
    await until(() => oldPids.every((pid) => !pidAlive(pid)), 3000, 'every pod of the first run is gone');
    await second.waitFor(/sleeper-\d+ started \(pid \d+\)$/, 10);
    second.signal('SIGINT');
    expect(await second.exit()).toEqual({ code: 130, signal: null });
    expect(marked(mark)).toEqual([]);
  });
});

describe('a run id in every pod', () => {
  it('after a crash of orchestrator and watchdog, the next run also reaps what a pod moved to a session of its own', async () => {
    const dir = tempDir();
    const mark = randomUUID();
    marks.push(mark);
    const file = writeConfig(`[tasks.sess]\ncommand = [${fx('start-session-child.sh')}]\nreplicas = 2\nenv = { HARDENING_MARK = "${mark}" }\n`, dir);
    const first = start(file);
    const pods = (await first.waitFor(/sess-\d+ started \(pid \d+\)$/, 2)).map(startedPid);
    const children = (await first.waitFor(/session child pid=\d+$/, 2)).map((l) => Number(/pid=(\d+)$/.exec(l)![1]));
    const orchestrator = first.child.pid!;
    const watchdog = watchdogOf(orchestrator)!;
    process.kill(orchestrator, 'SIGSTOP');
    process.kill(watchdog, 'SIGKILL');
    await until(() => !pidAlive(watchdog), 3000, 'the watchdog is gone');
    process.kill(orchestrator, 'SIGKILL');
    expect(await first.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(marked(mark).sort()).toEqual([...pods, ...children].sort());

    const second = start(file);
    // Two pod groups and the two sessions' groups.
    await second.waitFor(new RegExp(`reaped 4 process group\\(s\\) left by a previous run \\(pid ${orchestrator}\\) that did not stop cleanly$`));
    await until(() => [...pods, ...children].every((pid) => !pidAlive(pid)), 3000, 'every process of the first run is gone');
    second.signal('SIGINT');
    expect(await second.exit()).toEqual({ code: 130, signal: null });
  });
});

describe('running out of file descriptors', () => {
  const ULIMIT_120: readonly string[] = ['sh', '-c', 'ulimit -n 120; exec "$@"', 'sh'];

  it('fails only the pods that cannot start, each clearly and with backoff; restarts on a full table do not crash', async () => {
    const { file, mark } = sleepers(40, { extra: 'backoff = { base = "300ms", max = "300ms" }\n' });
    const run = start(file, { wrap: ULIMIT_120 });
    const warning = (await run.waitFor(/file descriptors per pod/))[0]!;
    const [, open, needed] = /40 replicas × 3 file descriptors per pod \+ (\d+) open now = (\d+), against an open-file limit of 120: some pods will fail to start with "too many open files"\. Raise the limit before starting \(ulimit -n, or LimitNOFILE= in a systemd unit\)$/.exec(warning) ?? [];
    expect(Number(needed)).toBe(Number(open) + 40 * 3 + 5);

    // Every replica either runs or failed to start; the failures retry (immediately, then after the backoff).
    const failure = /(sleeper-\d+): cannot start ".*kill-orchestrator-on-start\.sh": too many open files \(EMFILE\), the orchestrator reached its limit of 120 open files \(ulimit -n\); restarting (now|in 300ms)$/;
    await run.waitFor(/: cannot start .*; restarting in 300ms$/);
    const startedNames = new Set(run.matching(/sleeper-\d+ started \(pid \d+\)$/).map((l) => /(sleeper-\d+) started/.exec(l)![1]!));
    expect(run.matching(/: cannot start /).filter((l) => !failure.test(l))).toEqual([]);
    const failedNames = new Set(run.matching(/: cannot start /).map((l) => failure.exec(l)![1]!));
    expect(startedNames.size).toBeGreaterThan(0);
    expect(failedNames.size).toBeGreaterThan(0);
    expect(new Set([...startedNames, ...failedNames]).size).toBe(40);

    // A running pod dies while the table is full: its restart is a start like any other, never a crash.
    const victim = run.matching(/sleeper-\d+ started \(pid \d+\)$/)[0]!;
    const victimName = /(sleeper-\d+) started/.exec(victim)![1]!;
    process.kill(startedPid(victim), 'SIGKILL');
    await run.waitFor(new RegExp(`${victimName}: killed by SIGKILL; restarting now$`));
    await run.waitFor(new RegExp(`${victimName} started \\(pid \\d+\\)$|${victimName}: cannot start `));
    expect(run.child.exitCode).toBeNull();

    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
    expect(run.stderrLines.filter((l) => /TypeError|Unhandled|EMFILE.*\n?\s+at /.test(l))).toEqual([]);
    expect(marked(mark)).toEqual([]);
  });
});

/** Runs spawn-on-full-fd-table.mjs under `ulimit -n 64`; its JSON lines. */
async function onFullFdTable(what: 'spawner' | 'exec-probe'): Promise<unknown[]> {
  const script = join(FIXTURES, 'spawn-on-full-fd-table.mjs');
  const child = spawn('sh', ['-c', 'ulimit -n 64; exec node "$0" "$1" "$2"', script, join(ROOT, process.env.ORCH_DIST ?? 'dist'), what], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('starting a process on a full fd table', () => {
  it('the pod spawner reports EMFILE as a start failure naming the limit, and starts again once fds are free', async () => {
    expect(await onFullFdTable('spawner')).toEqual([
      { pid: false, failure: 'EMFILE', limit: 64, code: null },
      { pid: true, failure: null, limit: null, code: 0 },
    ]);
  });

  it('an exec probe fails that check instead of crashing the orchestrator, and passes once fds are free', async () => {
    expect(await onFullFdTable('exec-probe')).toEqual([{ ok: false, reason: 'cannot run "sh": spawn sh EMFILE' }, { ok: true }]);
  });
});
