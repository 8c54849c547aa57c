import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, fx, runCli, tempDir, writeConfig } from './harness.js';
import { json, killLeftover, socketOf, startRun, stopRun, verb } from './control-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

function raw(socketPath: string, method: string, path: string, body?: string | Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ socketPath, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
    });
    // The server may answer before it has read everything we send; the answer is what counts.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.end(body);
  });
}

const demo = (dir = tempDir()): string =>
  writeConfig(
    `[tasks.worker]\ncommand = ["node", ${fx('slow-ack-worker.mjs')}]\nreplicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nenv = { DELAY_MS = "10" }\n\n` +
      `[tasks.ticker]\ncommand = [${fx('ticker.sh')}]\n`,
    dir,
  );

describe('control API', () => {
  it('serves ps, tasks, publish, subscribe, logs and events, with -o json shapes, on a 0600 socket', async () => {
    const file = demo();
    running = await startRun(file, 3);
    expect(statSync(socketOf(file)).mode & 0o777).toBe(0o600);

    const { pods } = await json<{ pods: Array<Record<string, unknown>> }>(['ps'], file);
    expect(pods.map((p) => p.name)).toEqual(['worker-0', 'worker-1', 'ticker-0']);
    expect(Object.keys(pods[0]!).sort()).toEqual(['acked', 'cpu', 'createdAt', 'delivered', 'inFlight', 'index', 'lastRestartAt', 'leaving', 'name', 'pid', 'ready', 'restarts', 'rss', 'stalled', 'stalledSince', 'status', 'task'].sort());
    expect(pods[0]).toMatchObject({ task: 'worker', index: 0, status: 'running', ready: true, restarts: 0, leaving: false, stalled: false, stalledSince: null });
    const table = await verb(['ps', '-f', file]);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+READY\s+RESTARTS\s+AGE\s+PID\s+CPU\s+MEM\s+IN-FLIGHT\s+DELIVERED\s+ACKED$/);

    const { tasks } = await json<{ tasks: Array<Record<string, unknown>> }>(['tasks'], file);
    expect(tasks[0]).toEqual({ name: 'worker', desired: 2, current: 2, ready: 2, state: 'ready', restart: 'always', mode: 'round_robin', subscribe: ['jobs'], colors: false, queued: 0, inFlight: 0, oldestQueuedAt: null, deadLettered: 0, published: 0, acked: 0, delivered: 0, redelivered: 0, dropped: 0, rejected: 0, discarded: {}, stalled: 0 });

    const sub = runCli(['subscribe', 'jobs', 'jobs.>', '-f', file, '-o', 'json']);
    // The subscription is live once a published message comes back through it.
    for (let i = 0; sub.lines.length === 0 && i < 50; i++) {
      await verb(['publish', 'jobs', `probe-${i}`, '-f', file]);
      await Promise.race([sub.waitFor(/probe-/, 1, 300).catch(() => null)]);
    }
    const published = await verb(['publish', 'jobs', '-f', file], { input: 'line one\nline two\n' });
    expect(published).toMatchObject({ code: 0, stdout: 'published on jobs' });
    const [result] = await sub.waitFor(/"topic":"jobs.result","data":"line one\\nline two done"/);
    expect(JSON.parse(result!)).toMatchObject({ topic: 'jobs.result', from: expect.stringMatching(/^worker-\d$/) });
    sub.signal('SIGINT');
    expect((await sub.exit()).code).toBe(0);

    await running.waitFor(/ticker-0 +\| tick/, 3);
    const logs = await verb(['logs', 'ticker', '--tail', '2', '-f', file]);
    expect(logs.stdout.split('\n')).toEqual([expect.stringMatching(/^ticker-0 \| tick/), expect.stringMatching(/^ticker-0 \| tick/)]);
    const withTime = await verb(['logs', 'worker-0', 'worker-1', '--timestamps', '--since', '1m', '-f', file]);
    expect(withTime.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} worker-\d \| ready worker-\d pid=\d+/m);
    expect((await verb(['logs', 'nope', '-f', file])).stderr).toContain('no task or pod named "nope"');

    const { events } = await json<{ events: Array<{ type: string; message: string; at: number; seq: number }> }>(['events'], file);
    expect(events.filter((e) => e.type === 'pod-started').map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^worker-0 started \(pid \d+\)$/)]));

    await stopRun(running, file);
    expect(running.lines.at(-1)).toMatch(/stopped via the API$/);
    expect(existsSync(socketOf(file))).toBe(false);
  });

  it('answers bad requests with 4xx JSON errors and keeps the pods running', async () => {
    const file = demo();
    running = await startRun(file, 3);
    const socket = socketOf(file);
    const before = await json<{ pods: Array<{ pid: number }> }>(['ps'], file);
    const cases: Array<[string, string, string | Buffer | undefined, number, string]> = [
      ['POST', '/v1/publish', '{"topic": "jobs", ', 400, 'MALFORMED_JSON'],
      ['GET', '/v1/nothing', undefined, 404, 'NOT_FOUND'],
      ['DELETE', '/v1/pods', undefined, 405, 'METHOD_NOT_ALLOWED'],
      ['POST', '/v1/publish', Buffer.alloc(1024 * 1024 + 10, 'a'), 413, 'BODY_TOO_LARGE'],
      ['POST', '/v1/publish', '{"topic": "a b", "data": "x"}', 400, 'INVALID_TOPIC'],
      ['POST', '/v1/publish', '{"topic": "system.pods", "data": "x"}', 400, 'INVALID_TOPIC'],
      ['POST', '/v1/publish', '{"topic": "jobs"}', 400, 'BAD_PARAMETER'],
      ['POST', '/v1/scale', '{"replicas": {"worker": -1}}', 400, 'BAD_PARAMETER'],
      ['POST', '/v1/scale', '{"replicas": {"ghost": 1}}', 404, 'TASK_NOT_FOUND'],
      ['POST', '/v1/scale', '[1]', 400, 'BAD_REQUEST'],
      ['GET', '/v1/logs?tail=-3', undefined, 400, 'BAD_PARAMETER'],
      ['GET', '/v1/logs?since=yesterday', undefined, 400, 'BAD_PARAMETER'],
      ['GET', '/v1/subscribe?topic=a..b', undefined, 400, 'INVALID_TOPIC_PATTERN'],
      ['POST', '/v1/tasks/ghost/restart', '{}', 404, 'TASK_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const answer = await raw(socket, method, path, body);
      expect({ path, status: answer.status, code: (answer.body as { error: { code: string } }).error.code }).toEqual({ path, status, code });
      expect((answer.body as { error: { message: string } }).error.message).toEqual(expect.any(String));
    }
    const after = await json<{ pods: Array<{ pid: number }> }>(['ps'], file);
    expect(after.pods.map((p) => p.pid)).toEqual(before.pods.map((p) => p.pid));
    expect((await verb(['scale', 'ghost=1', '-f', file])).code).toBe(2);
    await stopRun(running, file);
  });

  it('refuses a second instance for the same tasks.toml (exit 2) and replaces a stale socket', async () => {
    const dir = tempDir();
    const file = demo(dir);
    // A crashed run leaves a socket file nobody listens on.
    mkdirSync(join(dir, '.orchestrator'), { recursive: true });
    const stale = createServer();
    await new Promise<void>((r) => stale.listen(join(dir, '.orchestrator', 'stale.sock'), r));
    renameSync(join(dir, '.orchestrator', 'stale.sock'), socketOf(file));
    await new Promise((r) => stale.close(r));
    expect(existsSync(socketOf(file))).toBe(true);
    running = await startRun(file, 3);
    const second = runCli(['run', file]);
    expect((await second.exit()).code).toBe(2);
    expect(second.stderrLines.join('\n')).toContain('another orchestrator is already running here');
    await stopRun(running, file);
  });

  it('serves TCP only with the bearer token, and only on loopback unless allowed', async () => {
    const file = demo();
    const refused = runCli(['run', file, '--api', '0.0.0.0:0']);
    expect((await refused.exit()).code).toBe(2);
    expect(refused.stderrLines.join('\n')).toContain('--api-allow-remote');
    running = runCli(['run', file, '--no-timestamps', '--api', '127.0.0.1:0'], { env: { ORCHESTRATOR_TOKEN: 'sesame' } });
    const [line] = await running.waitFor(/control API on http:\/\/127\.0\.0\.1:\d+ \(token from ORCHESTRATOR_TOKEN\)/);
    const port = /:(\d+) /.exec(line!)![1]!;
    const ok = await verb(['tasks', '--api', `127.0.0.1:${port}`, '-o', 'json'], { env: { ORCHESTRATOR_TOKEN: 'sesame' } });
    expect(JSON.parse(ok.stdout).tasks).toHaveLength(2);
    const wrong = await verb(['tasks', '--api', `127.0.0.1:${port}`], { env: { ORCHESTRATOR_TOKEN: 'guess' } });
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('bearer token') });
    await stopRun(running, file);
  });

  it('gives pods ORCHESTRATOR_SOCKET so they can drive the CLI themselves', async () => {
    const dir = tempDir();
    const script = join(dir, 'self-scale.sh');
    writeFileSync(script, `#!/bin/sh\necho "socket=$ORCHESTRATOR_SOCKET"\nexec sleep 1000\n`, { mode: 0o755 });
    const file = writeConfig(`[tasks.probe]\ncommand = [${JSON.stringify(script)}]\n`, dir);
    running = await startRun(file, 1);
    await running.waitFor(/probe-0 +\| socket=/);
    expect(running.matching(/probe-0 +\| socket=/)[0]).toContain(`socket=${socketOf(file)}`);
    await stopRun(running, file);
  });
});
