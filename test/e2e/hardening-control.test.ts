/**
 * The control API's hardening, against a real `orchestrator run`: a generated token never reaches
 * the terminal, the log file or events; --log-file is private; TCP connections are capped; a
 * refused body is not read; another user is told "permission denied".
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TCP_LIMITS } from '../../src/control/limits.js';
import { openRaw, pump, within, type Raw } from '../../src/control/raw-connection.case.js';
import { CLI, type CliRun, fx, runCli, tempDir, writeConfig } from './harness.js';
import { killLeftover, socketOf, startRun, stopRun, verb } from './control-harness.js';

let running: CliRun | null = null;
const raws: Raw[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.socket.destroy();
  await killLeftover(running);
  running = null;
});

const quiet = `[tasks.idle]\ncommand = ["sleep", "1000"]\n`;
// An empty ORCHESTRATOR_TOKEN counts as unset, whatever the test runner's environment holds.
const noToken = { ORCHESTRATOR_TOKEN: '' };

async function raw(port: number): Promise<Raw> {
  const r = await openRaw(port);
  raws.push(r);
  return r;
}

async function get(port: number, authorization: string): Promise<string> {
  const r = await raw(port);
  r.socket.write(`GET /v1/tasks HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: ${authorization}\r\nconnection: close\r\n\r\n`);
  await within(r.closed, 10_000, 'the answer');
  return r.received();
}

async function startApi(file: string, env: Record<string, string>, extra: string[] = []): Promise<{ run: CliRun; port: number; line: string }> {
  const run = runCli(['run', file, '--no-timestamps', '--api', '127.0.0.1:0', ...extra], { env });
  running = run;
  const [line] = await run.waitFor(/control API on http:\/\/127\.0\.0\.1:\d+ \(/);
  await run.waitFor(/ started \(pid \d+\)$/);
  return { run, port: Number(/:(\d+) \(/.exec(line!)![1]), line: line! };
}

describe('control API hardening', () => {
  it('keeps a generated token out of the terminal, the 0600 log file and events; the CLI reads it from a 0600 token file', async () => {
    const dir = tempDir();
    const file = writeConfig(quiet, dir);
    const log = join(dir, 'orch.log');
    const tokenPath = join(dir, '.orchestrator', 'api-token');
    const { run, port, line } = await startApi(file, noToken, ['--log-file', log, '--log-level', 'debug']);
    expect(line).toMatch(new RegExp(`control API on http://127\\.0\\.0\\.1:${port} \\(token in ${tokenPath.replace(/[.]/g, '\\.')}\\)$`));
    expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
    const content = JSON.parse(readFileSync(tokenPath, 'utf8')) as { token: string };
    expect(content).toEqual({ host: '127.0.0.1', port, token: expect.stringMatching(/^[\w-]{32}$/) });

    const tasks = await verb(['tasks', '--api', `127.0.0.1:${port}`, '-f', file, '-o', 'json'], { env: noToken });
    expect(tasks.code).toBe(0);
    expect((JSON.parse(tasks.stdout) as { tasks: unknown[] }).tasks).toHaveLength(1);
    expect(await get(port, `bearer ${content.token}`)).toMatch(/^HTTP\/1\.1 200 /);
    // The file is for this port only: another --api is told which address it is for, a usage error.
    const other = await verb(['tasks', '--api', `127.0.0.1:${port + 1}`, '-f', file], { env: noToken });
    expect([other.code, other.stdout, other.stderr.trim()]).toEqual([2, '', `orchestrator: ${tokenPath} holds the token of 127.0.0.1:${port}, not of 127.0.0.1:${port + 1}; use --api 127.0.0.1:${port}, or set ORCHESTRATOR_TOKEN`]);
    const events = await verb(['events', '-f', file, '-o', 'json']);
    expect(events.code).toBe(0);

    await stopRun(run, file);
    expect(existsSync(tokenPath)).toBe(false);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const logText = readFileSync(log, 'utf8');
    expect(logText).toContain(`control API on http://127.0.0.1:${port} (token in ${tokenPath})`);
    const sinks = { stdout: run.lines.join('\n'), stderr: run.stderrLines.join('\n'), log: logText, events: events.stdout, verb: tasks.stdout + tasks.stderr };
    for (const [sink, text] of Object.entries(sinks)) expect({ sink, leaks: text.includes(content.token) }).toEqual({ sink, leaks: false });
  });

  it('tightens an existing --log-file that others can read to 0600, and says so', async () => {
    const dir = tempDir();
    const file = writeConfig(`[tasks.job]\ncommand = [${fx('exit-code.sh')}, "0"]\nrestart = "never"\n`, dir);
    const log = join(dir, 'orch.log');
    writeFileSync(log, '{"earlier":"run"}\n');
    chmodSync(log, 0o644);
    running = runCli(['run', file, '--no-timestamps', '--log-file', log]);
    expect((await running.exit()).code).toBe(0);
    const warning = `--log-file ${log} was mode 0644, open to other users; changed it to 0600`;
    expect(running.matching(/--log-file/)).toEqual([expect.stringMatching(new RegExp(`^orchestrator +\\| ${warning.replace(/[.]/g, '\\.')}$`))]);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('{"earlier":"run"}');
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 40, msg: warning });
    // Written synchronously: the run's last words reach the file although the process exits at once.
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 30, msg: 'all jobs finished successfully' });
  });

  it(`closes TCP connections beyond ${TCP_LIMITS.maxConnections} at once, and a 401 without reading its body`, async () => {
    const file = writeConfig(quiet);
    const { run, port } = await startApi(file, { ORCHESTRATOR_TOKEN: 'sesame' });
    const kept: Raw[] = [];
    for (let i = 0; i < TCP_LIMITS.maxConnections; i++) kept.push(await raw(port));
    const extra = [await raw(port), await raw(port)];
    await within(Promise.all(extra.map((r) => r.closed)), 10_000, 'the connections over the cap to be closed');
    expect(extra.map((r) => r.received())).toEqual(['', '']);
    expect(kept.filter((r) => r.isClosed())).toHaveLength(0);
    await run.waitFor(new RegExp(`control API \\(TCP\\): refused a connection: ${TCP_LIMITS.maxConnections} connections are open, the limit$`));
    for (const r of kept) r.socket.destroy();
    await Promise.all(kept.map((r) => r.closed));

    const total = 32 * 1024 * 1024;
    let refused: Raw | null = null;
    // The server frees the slots of the connections just closed a moment later; retry until one is free.
    for (const deadline = Date.now() + 10_000; refused === null || refused.received() === ''; ) {
      if (Date.now() > deadline) throw new Error('no connection slot came free');
      refused = await raw(port);
      refused.socket.write(`POST /v1/scale HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer guess\r\ncontent-length: ${total}\r\n\r\n`);
      const written = await within(pump(refused.socket, total, false), 10_000, 'the server to close the refused connection');
      if (refused.received() !== '') expect(written).toBeLessThan(total);
    }
    expect(refused.received()).toMatch(/^HTTP\/1\.1 401 [^]*\r\nconnection: close\r\n[^]*"code":"UNAUTHORIZED"/i);
    expect(await get(port, 'BEARER sesame')).toMatch(/^HTTP\/1\.1 200 /);
    await stopRun(run, file);
  });

  // It needs root to run a command as another user; CI runs as root, so there it never skips.
  it.skipIf(process.getuid?.() !== 0 && process.env.CI !== 'true')('tells another user "permission denied" for the 0600 socket, not "no orchestrator is running"', async () => {
    const file = writeConfig(quiet);
    running = await startRun(file, 1);
    const nobody = spawn(CLI, ['ps', '-f', file], { uid: 65534, gid: 65534, cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    nobody.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => nobody.once('exit', resolve));
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `orchestrator: permission denied connecting to ${socketOf(file)} (EACCES): the control socket belongs to another user; run the command as that user\n`,
    });
    await stopRun(running, file);
  });
});
