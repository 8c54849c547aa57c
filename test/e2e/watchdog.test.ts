import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover } from './control-harness.js';
import { pidAlive, processesWithEnv, watchdogOf, runCli, tempDir, until, writeConfig, type CliRun } from './harness.js';

/** Living processes whose environment holds WATCHDOG_MARK=`mark` (the pods of one test). */
const marked = (mark: string): number[] => processesWithEnv('WATCHDOG_MARK', mark);

const statusKb = (pid: number, field: string): number => Number(new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

let runs: CliRun[] = [];
let marks: string[] = [];

afterEach(async () => {
  for (const run of runs) await killLeftover(run);
  for (const mark of marks) for (const pid of marked(mark)) process.kill(pid, 'SIGKILL');
  runs = [];
  marks = [];
});

/** Starts `replicas` sleepers from a fresh directory and waits until every one has started. */
async function sleepers(replicas: number, dir = tempDir()): Promise<{ run: CliRun; mark: string; dir: string }> {
  const mark = randomUUID();
  marks.push(mark);
  const file = writeConfig(`[tasks.sleeper]\ncommand = ["sleep", "1000"]\nreplicas = ${replicas}\nenv = { WATCHDOG_MARK = "${mark}" }\n`, dir);
  const run = runCli(['run', file, '--no-timestamps']);
  runs.push(run);
  await run.waitFor(/sleeper-\d+ started \(pid \d+\)$/, replicas);
  return { run, mark, dir: dirname(file) };
}

describe('the pod watchdog', () => {
  it('is a shell, not a Node process, under 5 MB of RSS while it watches; a clean stop ends it', async () => {
    const { run, mark } = await sleepers(20);
    const watchdog = watchdogOf(run.child.pid!);
    expect(watchdog).toBeDefined();
    expect(readlinkSync(`/proc/${watchdog}/exe`)).toBe(realpathSync('/bin/sh'));
    expect(readFileSync(`/proc/${watchdog}/comm`, 'utf8').trim()).not.toBe('node');
    expect(statusKb(watchdog!, 'VmRSS')).toBeLessThan(5 * 1024);

    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
    await until(() => !pidAlive(watchdog!), 3000, 'the watchdog is gone after the clean stop');
    expect(marked(mark)).toEqual([]);
  });

  it('reaps every pod of a SIGKILLed orchestrator whose state file could not be written', async () => {
    const dir = tempDir();
    // A directory where the file should be: every write of the state file fails, and so does its read.
    mkdirSync(join(dir, '.orchestrator', 'pods.json'), { recursive: true });
    const { run, mark } = await sleepers(10, dir);
    await run.waitFor(/could not write pod state file .*pods\.json; only the watchdog can reap pods if the orchestrator dies: EISDIR/);
    expect(marked(mark)).toHaveLength(10);
    run.signal('SIGKILL');
    expect(await run.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    await until(() => marked(mark).length === 0, 3000, `no pod of the killed orchestrator is left (left: ${marked(mark).join(' ')})`);
  });
});
