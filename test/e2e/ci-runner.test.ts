import { copyFileSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitSchemaProblems } from '../schemas/junit-schema.js';
import { freePort, fx, ROOT, runCli, tempDir, writeConfig } from './harness.js';

const indexOf = (lines: string[], pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));

describe('readiness gates depends_on = { x = "ready" }', () => {
  const kinds: Array<[string, (port: number) => string]> = [
    ['signal', () => `command = ["node", ${fx('ready-signal.mjs')}]\nready = "signal"`],
    ['log', () => `command = [${fx('ready-log.sh')}]\nready = { log = "listening on \\\\d+" }`],
    ['exec', () => `command = [${fx('touch-later.sh')}, "marker", "0.3"]\nready = { exec = ["test", "-f", "marker"], period = "50ms" }`],
    ['http', (port) => `command = ["node", ${JSON.stringify(join(ROOT, 'examples', 'ci', 'service.mjs'))}]\nenv = { PORT = "${port}" }\nready = { http = "http://127.0.0.1:${port}/health", period = "50ms" }`],
    ['tcp', (port) => `command = ["node", ${fx('tcp-server.mjs')}]\nenv = { PORT = "${port}" }\nready = { tcp = "127.0.0.1:${port}", period = "50ms" }`],
  ];
  for (const [kind, svc] of kinds) {
    it(`starts the dependent only after a ${kind} readiness check passed`, async () => {
      const port = await freePort();
      const file = writeConfig(`[tasks.svc]\n${svc(port)}\n\n[tasks.after]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = { svc = "ready" }\n`);
      const run = runCli(['run', file, '--exit-on-complete', '--no-timestamps'], { cwd: join(file, '..') });
      expect(await run.exit()).toEqual({ code: 0, signal: null });
      const ready = indexOf(run.lines, /svc-0 is ready$/);
      expect(indexOf(run.lines, /after: waiting for svc \(ready\)$/)).toBeGreaterThan(-1);
      expect(ready).toBeGreaterThan(-1);
      expect(indexOf(run.lines, /after-0 started/)).toBeGreaterThan(ready);
    });
  }

  it('delivers no message to a pod before it is ready', async () => {
    const file = writeConfig(
      `[tasks.svc]\ncommand = ["node", ${fx('ready-signal.mjs')}]\nready = "signal"\nsubscribe = ["jobs"]\nmode = "round_robin"\nenv = { READY_AFTER = "400" }\n\n` +
        `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nrestart = "never"\nenv = { TOPIC = "jobs", COUNT = "3", EXIT = "1" }\n`,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/svc-0 +\| got msg-1$/);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    expect(indexOf(run.lines, /svc-0 +\| got /)).toBeGreaterThan(indexOf(run.lines, /svc-0 +\| ready now$/));
    expect(indexOf(run.lines, /producer-0 +\| published 1\.\.3$/)).toBeLessThan(indexOf(run.lines, /svc-0 +\| ready now$/));
  });
});

describe('depends_on conditions', () => {
  it('"started" and "completed": starts in dependency order, exits 0', async () => {
    const file = writeConfig(
      `[tasks.c]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = { b = "completed", a = "started" }\n\n` +
        `[tasks.b]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = ["a"]\n\n` +
        `[tasks.a]\ncommand = ["sleep", "1000"]\n`,
    );
    const run = runCli(['run', file, '--exit-on-complete', '--no-timestamps']);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    const a = indexOf(run.lines, /a-0 started/);
    const b = indexOf(run.lines, /b-0 started/);
    const bDone = indexOf(run.lines, /b-0: exited with code 0/);
    const c = indexOf(run.lines, /c-0 started/);
    expect([a < b, b < bDone, bDone < c]).toEqual([true, true, true]);
    expect(run.lines.at(-1)).toMatch(/all jobs finished successfully$/);
  });

  it('skips dependents of a failed job and exits 1 naming the first failure', async () => {
    const dir = tempDir();
    const report = join(dir, 'junit.xml');
    const file = writeConfig(
      `[tasks.a]\ncommand = [${fx('exit-code.sh')}, "4"]\nrestart = "on-failure"\nmax_restarts = 1\nbackoff = { base = "10ms" }\n\n` +
        `[tasks.b]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = { a = "completed" }\n\n` +
        `[tasks.ok]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\nreplicas = 2\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps', '--report', report]);
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    expect(run.matching(/a-0: exited with code 4/)).toEqual([expect.stringMatching(/restarting now$/), expect.stringMatching(/\(max_restarts 1 reached\)$/)]);
    expect(run.matching(/b: skipped: dependency "a" failed: a-0 exited with code 4$/)).toHaveLength(1);
    expect(run.matching(/b-0 started/)).toEqual([]);
    expect(run.matching(/\| b +skipped +1 +0 +0 +0 /)).toHaveLength(1);
    expect(run.lines.at(-1)).toMatch(/run failed: a failed: a-0 exited with code 4$/);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="orch-e2e-[^"/]+\/tasks\.toml" tests="4" failures="1" errors="0" time="\d+\.\d{3}">\n/);
    expect(await junitSchemaProblems(xml)).toEqual([]);
    expect(xml).toContain('<testsuite name="b" tests="1" failures="0" errors="0" skipped="1" ');
    expect([...xml.matchAll(/<testcase classname="(\w+)" name="([\w-]+)"/g)].map((m) => `${m[1]}/${m[2]}`)).toEqual(['a/a-0', 'b/b-0', 'ok/ok-0', 'ok/ok-1']);
    expect(xml).toContain('<failure message="a-0 exited with code 4" type="exit-code">exiting with 4</failure>');
    expect(xml).toMatch(/<skipped message="skipped: dependency &quot;a&quot; failed: a-0 exited with code 4"\/>/);
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });
});

describe('liveness', () => {
  it('restarts a pod whose liveness probe keeps failing', async () => {
    const file = writeConfig(`[tasks.svc]\ncommand = [${fx('lose-health.sh')}]\nalive = { exec = ["sh", "-c", "test -f alive-$ORCHESTRATOR_POD"], period = "100ms", failure_threshold = 2 }\n`);
    const run = runCli(['run', file, '--no-timestamps'], { cwd: join(file, '..') });
    await run.waitFor(/svc-0: liveness probe failed 2 times: .*; restarting it$/);
    await run.waitFor(/svc-0: killed by SIGKILL; restarting now$/);
    await run.waitFor(/svc-0 started/, 2);
    run.signal('SIGTERM');
    expect((await run.exit()).code).toBe(143);
    expect(run.matching(/svc-0 +\| lost health$/)).toHaveLength(1);
  });
});

describe('run until done', () => {
  it('does not exit while messages are still queued for a slow service', async () => {
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nrestart = "never"\nenv = { TOPIC = "jobs", COUNT = "200", EXIT = "1" }\n\n` +
        `[tasks.worker]\ncommand = ["node", ${fx('echo-worker.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "json"\nshow_stdout = false\nenv = { WORK_MS = "5" }\n`,
    );
    const run = runCli(['run', file, '--exit-on-complete', '--no-timestamps']);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.matching(/\| worker +stopped +1 +- +- +0 +200 +200 +0 /)).toHaveLength(1);
    expect(indexOf(run.lines, /producer-0: exited with code 0/)).toBeLessThan(indexOf(run.lines, /nothing is queued: stopping the services/));
  });

  it('exits 124 after a graceful stop when --timeout is reached', async () => {
    const file = writeConfig(`[tasks.slow]\ncommand = ["sleep", "1000"]\nrestart = "never"\n`);
    const run = runCli(['run', file, '--exit-on-complete', '--timeout', '300ms', '--no-timestamps']);
    expect(await run.exit()).toEqual({ code: 124, signal: null });
    expect(run.matching(/slow-0 stopped \(killed by SIGTERM\)/)).toHaveLength(1);
    expect(run.lines.at(-1)).toMatch(/run timed out after 300ms$/);
  });

  it('never exits 0 when interrupted, even with --exit-on-complete', async () => {
    const file = writeConfig(`[tasks.job]\ncommand = [${fx('ticker.sh')}]\nrestart = "never"\n`);
    const run = runCli(['run', file, '--exit-on-complete', '--no-timestamps']);
    await run.waitFor(/job-0 +\| tick 2$/);
    run.signal('SIGTERM');
    expect(await run.exit()).toEqual({ code: 143, signal: null });
  });
});

describe('examples/ci', () => {
  for (const [variant, code] of [['tasks.toml', 0], ['tasks-failing.toml', 1]] as const) {
    it(`${variant} exits ${code}`, async () => {
      const port = await freePort();
      // A copy (scripts linked), so a run of the example in the repo does not collide with the test.
      const dir = tempDir();
      for (const f of readdirSync(join(ROOT, 'examples', 'ci'))) {
        if (f.endsWith('.toml')) copyFileSync(join(ROOT, 'examples', 'ci', f), join(dir, f));
        else symlinkSync(join(ROOT, 'examples', 'ci', f), join(dir, f));
      }
      const run = runCli(['run', '--exit-on-complete', join(dir, variant), '--no-timestamps'], { env: { CI_PORT: String(port) } });
      expect(await run.exit(60_000)).toEqual({ code, signal: null });
      if (code === 0) {
        expect(run.matching(/report-0 +\| report: 500 items processed, 0 dead-lettered$/)).toHaveLength(1);
        expect(run.matching(/pool-\d: exited with code 3; restarting now$/)).toHaveLength(1);
      } else {
        expect(run.matching(/report-0 +\| report: 499 items processed, 1 dead-lettered: item-42$/)).toHaveLength(1);
        expect(run.matching(/on "work" for pool dead-lettered to "work.dead" after 3 deliveries$/)).toHaveLength(1);
        expect(run.lines.at(-1)).toMatch(/run failed: report failed: report-0 exited with code 1$/);
      }
    });
  }
});

describe('orchestrator wait', () => {
  it('blocks until ready / complete, retries while no instance answers, and times out with 1', async () => {
    const file = writeConfig(
      `[tasks.svc]\ncommand = ["node", ${fx('ready-signal.mjs')}]\nready = "signal"\nenv = { READY_AFTER = "500" }\n\n` +
        `[tasks.never]\ncommand = ["node", ${fx('ready-signal.mjs')}]\nready = "signal"\nenv = { READY_AFTER = "100000" }\n\n` +
        `[tasks.job]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\ndepends_on = { svc = "ready" }\n`,
    );
    // Started before the instance exists: it must keep trying.
    const ready = runCli(['wait', '-f', file, '--for', 'ready', 'svc', '--timeout', '20s']);
    const run = runCli(['run', file, '--no-timestamps']);
    expect(await ready.exit()).toEqual({ code: 0, signal: null });
    expect(ready.lines).toEqual(['ready: svc']);
    expect(run.matching(/svc-0 is ready$/)).toHaveLength(1);
    const complete = runCli(['wait', '-f', file, '--for', 'complete', '--timeout', '20s']);
    expect(await complete.exit()).toEqual({ code: 0, signal: null });
    expect(complete.lines).toEqual(['complete: job']);
    const timeout = runCli(['wait', '-f', file, 'never', '--timeout', '300ms']);
    expect(await timeout.exit()).toEqual({ code: 1, signal: null });
    expect(timeout.stderrLines).toEqual(['orchestrator wait: timed out after 300ms: waiting for never (running, 0/1 ready)']);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
  });
});
