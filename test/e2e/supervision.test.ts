import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fx, pidAlive, runCli, splitLine, tempDir, until, writeConfig } from './harness.js';


describe('replicas', () => {
  it('start with their names, indexes and environment layered inherited < env_file < env', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'FROM_FILE=file\nOVERRIDDEN=file\n');
    const file = writeConfig(
      `[tasks.worker]\ncommand = [${fx('print-env.sh')}]\nreplicas = 3\nenv_file = ".env"\nenv = { OVERRIDDEN = "env" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps'], { env: { INHERITED_BY_POD: 'yes' } });
    const lines = (await run.waitFor(/\| env task=/, 3)).map((l) => splitLine(l)!);
    expect(lines.map((l) => l.name).sort()).toEqual(['worker-0', 'worker-1', 'worker-2']);
    const ids = new Set<string>();
    for (const { name, text } of lines) {
      const index = name.slice('worker-'.length);
      expect(text).toContain(`task=worker pod=${name} `);
      expect(text).toContain(` replica=${index} dir=${dir} from_file=file overridden=env inherited=yes`);
      ids.add(/ id=(\S+)/.exec(text)![1]!);
    }
    expect(ids.size).toBe(3);
    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
  });
});

describe('restarts', () => {
  it('restart a crashing pod immediately, then with doubling delays up to max', async () => {
    const file = writeConfig(`[tasks.crasher]\ncommand = ["node", ${fx('crash.mjs')}]\nbackoff = { base = "100ms", max = "400ms", reset_after = "1m" }\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    const restarts = await run.waitFor(/crasher-0: exited with code 1; restarting/, 6);
    expect(restarts.map((l) => /restarting (.*)$/.exec(l)![1])).toEqual(['now', 'in 100ms', 'in 200ms', 'in 400ms', 'in 400ms', 'in 400ms']);
    run.signal('SIGTERM');
    expect(await run.exit()).toEqual({ code: 143, signal: null });
  });

  it('reset the backoff after a run of reset_after', async () => {
    const dir = tempDir();
    const counter = join(dir, 'runs');
    // Runs 1-3 crash at once; run 4 stays up 2.5 s (> reset_after 2 s), then crashes. The margin
    // is wide because a loaded machine can take most of a second just to start node.
    const file = writeConfig(
      `[tasks.crasher]\ncommand = ["node", ${fx('crash.mjs')}, ${JSON.stringify(counter)}, "4", "2500"]\nbackoff = { base = "50ms", max = "1s", reset_after = "2s" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const restarts = await run.waitFor(/crasher-0: exited with code 1; restarting/, 6);
    expect(restarts.map((l) => /restarting (.*)$/.exec(l)![1])).toEqual(['now', 'in 50ms', 'in 100ms', 'now', 'in 50ms', 'in 100ms']);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
  });
});

describe('jobs and exit codes', () => {
  it('exits 0 when never and on-failure tasks all succeed (on-failure retried once)', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.once]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\nreplicas = 2\n\n` +
        `[tasks.flaky]\ncommand = [${fx('fail-once.sh')}, ${JSON.stringify(join(dir, 'marker'))}]\nrestart = "on-failure"\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.matching(/^flaky-0 +\| /).map((l) => splitLine(l)!.text)).toEqual(['first run: failing', 'second run: ok']);
    expect(run.matching(/^once-\d +\| exiting with 0$/)).toHaveLength(2);
    expect(run.matching(/restarting/)).toEqual([expect.stringContaining('flaky-0: exited with code 1; restarting now')]);
  });

  it('exits 1 and names the pod when a never task fails, without restarting it', async () => {
    const file = writeConfig(`[tasks.ok]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\n\n[tasks.bad]\ncommand = [${fx('exit-code.sh')}, "3"]\nrestart = "never"\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    expect(await run.exit()).toEqual({ code: 1, signal: null });
    expect(run.matching(/bad-0 +\| exiting with 3/)).toHaveLength(1);
    expect(run.lines.at(-1)).toMatch(/run failed: bad failed: bad-0 exited with code 3$/);
  });

  it('exits 2 with the problem for an invalid config, starting nothing', async () => {
    const file = writeConfig(`[tasks.worker]\ncommand = "true"\nreplica = 2\n`);
    const run = runCli(['run', file]);
    expect(await run.exit()).toEqual({ code: 2, signal: null });
    expect(run.stderrLines.join('\n')).toContain('tasks.worker.replica: unknown key, did you mean "replicas"?');
  });
});

describe('shutdown', () => {
  it('kills a pod that ignores SIGTERM after its grace period', async () => {
    const file = writeConfig(`[tasks.stubborn]\ncommand = [${fx('ignore-sigterm.sh')}]\ngrace_period = "300ms"\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    const [line] = await run.waitFor(/ignoring SIGTERM pid=\d+/);
    const pid = Number(/pid=(\d+)/.exec(line!)![1]);
    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
    expect(run.matching(/stubborn-0 stopped \(killed by SIGKILL\)/)).toHaveLength(1);
    expect(pidAlive(pid)).toBe(false);
  });

  it('kills at once on a second Ctrl-C instead of waiting out the grace period', async () => {
    const file = writeConfig(`[tasks.stubborn]\ncommand = [${fx('ignore-sigterm.sh')}]\ngrace_period = "5m"\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    const pid = Number(/pid=(\d+)/.exec((await run.waitFor(/ignoring SIGTERM pid=\d+/))[0]!)![1]);
    run.signal('SIGINT');
    await run.waitFor(/stubborn-0 stopping \(SIGTERM, grace 5m\)/);
    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
    expect(run.matching(/SIGINT again: killing every pod now/)).toHaveLength(1);
    expect(run.matching(/stubborn-0 stopped \(killed by SIGKILL\)/)).toHaveLength(1);
    expect(pidAlive(pid)).toBe(false);
  });

  it('leaves no grandchild behind after a graceful stop', async () => {
    const file = writeConfig(`[tasks.parent]\ncommand = [${fx('spawn-grandchild.sh')}]\nreplicas = 2\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    const lines = await run.waitFor(/grandchild pid=\d+/, 2);
    const pids = lines.map((l) => Number(/pid=(\d+)/.exec(l)![1]));
    run.signal('SIGTERM');
    expect(await run.exit()).toEqual({ code: 143, signal: null });
    expect(pids.filter(pidAlive)).toEqual([]);
  });

  it('leaves no pod behind within 3 s when the orchestrator is SIGKILLed', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.stubborn]\ncommand = [${fx('ignore-sigterm.sh')}]\n\n[tasks.parent]\ncommand = [${fx('spawn-grandchild.sh')}]\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const stubborn = Number(/pid=(\d+)/.exec((await run.waitFor(/ignoring SIGTERM pid=/))[0]!)![1]);
    const grandchild = Number(/pid=(\d+)/.exec((await run.waitFor(/grandchild pid=/))[0]!)![1]);
    // The state file must know both groups before we pull the plug.
    await until(() => existsSync(join(dir, '.orchestrator', 'pods.json')), 2000, 'the state file exists');
    run.signal('SIGKILL');
    await run.exit();
    await until(() => !pidAlive(stubborn) && !pidAlive(grandchild), 3000, 'every pod process is gone');
  });
});

describe('validate', () => {
  it('prints ok and a summary line per task, exit 0', async () => {
    const file = writeConfig(`[tasks.web]\ncommand = "node server.mjs"\nreplicas = 2\n\n[tasks.worker]\ncommand = ["python3", "w.py"]\nsubscribe = ["jobs"]\nmode = "round_robin"\n`);
    const run = runCli(['validate', file]);
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.lines[0]).toBe(`ok: ${file}`);
    expect(run.lines.filter((l) => /^\s*(web|worker)\b/.test(l))).toHaveLength(2);
  });

  it('prints every problem with file, line and column, exit 2', async () => {
    const file = writeConfig(`[tasks.web]\ncommand = "node server.mjs"\nreplica = 2\nrestart = "sometimes"\n`);
    const run = runCli(['validate', file]);
    expect(await run.exit()).toEqual({ code: 2, signal: null });
    const text = run.stderrLines.join('\n');
    expect(text).toMatch(/:3:1 tasks\.web\.replica: unknown key, did you mean "replicas"\?/);
    expect(text).toMatch(/:4:\d+ tasks\.web\.restart: /);
  });
});

describe('start failures', () => {
  it('report a missing command clearly and keep other tasks running', async () => {
    const file = writeConfig(`[tasks.bad]\ncommand = "pyhton3 worker.py"\nbackoff = { base = "1s" }\n\n[tasks.good]\ncommand = [${fx('ticker.sh')}]\n`);
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/bad-0: cannot start "pyhton3": command not found in PATH; restarting now/);
    const before = run.matching(/good-0 +\| tick/).length;
    await run.waitFor(/good-0 +\| tick/, before + 3);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
  });
});
