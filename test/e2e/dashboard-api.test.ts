/**
 * The dashboard's API groundwork against real processes: ps CPU/MEM, kill POD, dead letters and
 * retry, the watch stream, /metrics, and the --ui listener's checks. Latches and polls, no sleeps.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetterInfo, PodInfo, TaskInfo, TopicInfo } from '../../src/control/api-types.js';
import { killLeftover, socketOf, startRun, stopRun, verb } from './control-harness.js';
import { type CliRun, fx, tempDir, until, writeConfig } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Where = { socketPath: string } | { port: number };

function send(where: Where, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const to = 'port' in where ? { host: '127.0.0.1', port: where.port } : { socketPath: where.socketPath };
    const req = request({ ...to, method, path, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.once('error', reject);
    req.end(body);
  });
}

/** A watch stream over the socket: its lines as they come, and a way to wait for one. */
function watch(socketPath: string, query: string): { lines: Array<Record<string, unknown>>; until(pred: (l: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>; close(): void } {
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  const req = request({ socketPath, method: 'GET', path: `/v1/watch?${query}` }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const p of parts) if (p !== '') lines.push(JSON.parse(p) as Record<string, unknown>);
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    lines,
    until: async (pred, what) => {
      await until(() => lines.some(pred), 15_000, what);
      return lines.find(pred)!;
    },
    close: () => req.destroy(),
  };
}

/** GET /v1/pods over the socket: no CLI process per poll (a loaded machine starts them slowly). */
async function podsOf(socketPath: string): Promise<PodInfo[]> {
  return (JSON.parse((await send({ socketPath }, 'GET', '/v1/pods')).body) as { pods: PodInfo[] }).pods;
}

async function podsUntil(socketPath: string, pred: (pods: PodInfo[]) => boolean, what: string): Promise<PodInfo[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const current = await podsOf(socketPath);
    if (pred(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(current.map((p) => [p.name, p.status, p.pid]))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls GET /v1/tasks over the socket (no CLI process per poll) until `pred` holds. */
async function tasksUntil(socketPath: string, pred: (tasks: TaskInfo[]) => boolean, what: string): Promise<TaskInfo[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const current = (JSON.parse((await send({ socketPath }, 'GET', '/v1/tasks')).body) as { tasks: TaskInfo[] }).tasks;
    if (pred(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(current)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dashboard API', () => {
  it('ps shows CPU and MEM of a busy pod; kill POD gets it replaced with a new pid and a restart', async () => {
    const file = writeConfig(`[tasks.spin]\ncommand = ["node", ${fx('busy-loop.mjs')}]\nstop_signal = "SIGTERM"\n\n[tasks.idle]\ncommand = "sleep 60"\n`);
    running = await startRun(file, 2);
    await running.waitFor(/spin-0\s+\| spinning$/);
    const socketPath = socketOf(file);
    const [spin] = (await podsOf(socketPath)).filter((p) => p.name === 'spin-0');
    expect(spin!.cpu).toBeGreaterThan(10);
    expect(spin!.rss).toBeGreaterThan(5 * 1024 * 1024);
    const table = await verb(['ps', 'spin', '-f', file]);
    expect(table.stdout.split('\n')[1]).toMatch(/^spin-0\s+running\s+1\/1\s+0\s+\S+\s+\d+\s+\d+(\.\d)?%\s+\d+\.\dM\s+0\s+0\s+0$/);

    const killed = await verb(['kill', 'spin-0', '-f', file, '-o', 'json']);
    expect(killed.code).toBe(0);
    expect(JSON.parse(killed.stdout)).toEqual({ pod: 'spin-0', task: 'spin', signal: 'SIGTERM' });
    const after = await podsUntil(socketPath, (ps) => ps.some((p) => p.name === 'spin-0' && p.status === 'running' && p.pid !== spin!.pid), 'spin-0 runs again');
    expect(after.find((p) => p.name === 'spin-0')).toMatchObject({ restarts: 1 });
    const events = (JSON.parse((await send({ socketPath }, 'GET', '/v1/events')).body) as { events: Array<{ type: string; pod?: string }> }).events.filter((e) => e.pod === 'spin-0' && e.type !== 'pod-ready').map((e) => e.type);
    expect(events).toEqual(['pod-started', 'pod-killed', 'pod-exited', 'pod-started']);

    const missing = await verb(['kill', 'nope-0', '-f', file]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no pod named "nope-0"; pods: spin-0, idle-0');
    await stopRun(running, file);
  });

  it('lists a dead letter with its data and attempts; retry delivers it once; topics show who published what', async () => {
    const dir = tempDir();
    const flag = join(dir, 'die');
    const out = join(dir, 'out.txt');
    writeFileSync(flag, '');
    writeFileSync(out, '');
    const file = writeConfig(
      `[tasks.worker]\ncommand = ["node", ${fx('die-while-flag.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nmax_deliveries = 2\nenv = { FLAG = ${JSON.stringify(flag)}, OUT = ${JSON.stringify(out)} }\n`,
      dir,
    );
    running = await startRun(file, 1);
    await running.waitFor(/worker-0\s+\| ready worker-0$/);
    const socketPath = socketOf(file);
    expect((await send({ socketPath }, 'POST', '/v1/publish', {}, JSON.stringify({ topic: 'jobs', data: 'poison' }))).status).toBe(202);
    let dead: DeadLetterInfo[] = [];
    const deadline = Date.now() + 15_000;
    while (dead.length === 0 && Date.now() < deadline) {
      dead = (JSON.parse((await send({ socketPath }, 'GET', '/v1/tasks/worker/dead')).body) as { dead: DeadLetterInfo[] }).dead;
      if (dead.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ topic: 'jobs', data: 'poison', attempts: 2, reason: 'max-deliveries' });

    rmSync(flag);
    await podsUntil(socketPath, (ps) => ps.some((p) => p.status === 'running'), 'the worker runs again');
    const retried = await send({ socketPath }, 'POST', `/v1/tasks/worker/dead/${encodeURIComponent(dead[0]!.id)}/retry`);
    expect(retried.status).toBe(202);
    expect(JSON.parse(retried.body)).toEqual({ retried: [dead[0]!.id] });
    const [worker] = await tasksUntil(socketPath, (t) => t[0]!.acked === 1, 'the retried message acknowledged');
    expect(worker).toMatchObject({ acked: 1, deadLettered: 1, queued: 0, inFlight: 0 });
    expect(readFileSync(out, 'utf8')).toBe('poison\n');
    expect(JSON.parse((await send({ socketPath }, 'GET', '/v1/tasks/worker/dead')).body)).toEqual({ task: 'worker', dead: [], evicted: 0 });
    expect((await send({ socketPath }, 'POST', `/v1/tasks/worker/dead/${encodeURIComponent(dead[0]!.id)}/retry`)).status).toBe(404);

    const { topics } = JSON.parse((await send({ socketPath }, 'GET', '/v1/topics')).body) as { topics: TopicInfo[] };
    expect(topics.map((t) => [t.topic, t.publishers, t.published, t.subscribers])).toEqual([
      // The retry went to the worker's queue alone: not a publish on "jobs".
      ['jobs', { '': 1 }, 1, [{ task: 'worker', mode: 'round_robin', pattern: 'jobs' }]],
      ['jobs.dead', { '': 1 }, 1, []],
      ['jobs.result', { worker: 1 }, 1, []],
    ]);
    expect(topics[2]!.latest).toMatchObject({ data: 'poison done', from: 'worker-0', truncated: false });
    await stopRun(running, file);
  });

  it('the watch stream starts with a snapshot, then carries pod changes, events and log lines', async () => {
    const file = writeConfig(`[tasks.ticker]\ncommand = [${fx('ticker.sh')}]\n\n[tasks.idle]\ncommand = "sleep 60"\n`);
    running = await startRun(file, 2);
    const stream = watch(socketOf(file), 'logs=ticker&events=true');
    try {
      const snapshot = await stream.until((l) => l.type === 'snapshot', 'the snapshot');
      expect(stream.lines[0]).toBe(snapshot);
      expect((snapshot.pods as PodInfo[]).map((p) => [p.name, p.cpu, p.rss])).toEqual([['ticker-0', null, null], ['idle-0', null, null]]);
      const log = await stream.until((l) => l.type === 'log', 'a log line');
      expect(log.line).toMatchObject({ pod: 'ticker-0', task: 'ticker', stream: 'stdout' });
      expect((log.line as { line: string }).line).toMatch(/^tick \d+$/);
      expect((await verb(['scale', 'idle=2', '-f', file])).code).toBe(0);
      const changed = await stream.until((l) => l.type === 'changed' && (l.pods as PodInfo[]).some((p) => p.name === 'idle-1'), 'a changed line with idle-1');
      expect(changed.gone).toEqual({ tasks: [], pods: [] });
      await stream.until((l) => l.type === 'event' && (l.event as { type: string }).type === 'scaled', 'the scaled event');
      expect(stream.lines.filter((l) => l.type === 'log').every((l) => (l.line as { task: string }).task === 'ticker')).toBe(true);
      expect((await verb(['scale', 'idle=1', '-f', file])).code).toBe(0);
      await stream.until((l) => l.type === 'changed' && (l.gone as { pods: string[] }).pods.includes('idle-1'), 'idle-1 gone');
    } finally {
      stream.close();
    }
    await stopRun(running, file);
  });

  it('--ui: prints the URL without the token off a terminal, ui --print gives it, /metrics has exact series; Host, Origin and token are checked', async () => {
    const dir = tempDir();
    const file = writeConfig(`[tasks.worker]\ncommand = ["node", ${fx('slow-ack-worker.mjs')}]\nreplicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nenv = { DELAY_MS = "1" }\n`, dir);
    running = await startRun(file, 2, ['--ui']);
    const [line] = await running.waitFor(/dashboard: /);
    const m = /dashboard: http:\/\/127\.0\.0\.1:(\d+)\/ui\/ \(open it with "orchestrator ui"\)$/.exec(line!);
    expect(m).not.toBeNull();
    const port = Number(m![1]);
    const { token } = JSON.parse(readFileSync(join(dir, '.orchestrator', 'api-token'), 'utf8')) as { token: string };
    expect(running.lines.join('\n')).not.toContain(token);
    const printed = await verb(['ui', '--print', '-f', file]);
    expect(printed).toMatchObject({ code: 0, stdout: `http://127.0.0.1:${port}/ui/#token=${token}` });

    const socketPath = socketOf(file);
    for (const n of [1, 2, 3]) expect((await send({ socketPath }, 'POST', '/v1/publish', {}, JSON.stringify({ topic: 'jobs', data: `job-${n}` }))).status).toBe(202);
    await tasksUntil(socketPath, (t) => t[0]!.acked === 3, 'three acks');
    const bearer = { authorization: `Bearer ${token}` };
    const metrics = await send({ port }, 'GET', '/metrics', bearer);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = metrics.body.split('\n');
    for (const series of [
      'orchestrator_pods{task="worker",phase="running"} 2',
      'orchestrator_pod_restarts_total{task="worker",pod="worker-0"} 0',
      'orchestrator_messages_published_total{task="worker"} 3',
      'orchestrator_messages_delivered_total{task="worker"} 3',
      'orchestrator_messages_acked_total{task="worker"} 3',
      'orchestrator_messages_dead_lettered_total{task="worker"} 0',
      'orchestrator_messages_dropped_total{task="worker",reason="overflow"} 0',
      'orchestrator_queue_depth{task="worker"} 0',
      'orchestrator_queue_oldest_age_seconds{task="worker"} 0',
      'orchestrator_ack_latency_seconds_bucket{task="worker",le="+Inf"} 3',
      'orchestrator_ack_latency_seconds_count{task="worker"} 3',
    ]) expect(lines).toContain(series);
    expect(lines.find((l) => l.startsWith('orchestrator_resident_memory_bytes '))).toMatch(/^orchestrator_resident_memory_bytes [1-9]\d{6,}$/);
    for (const l of lines.filter((x) => x !== '' && !x.startsWith('#'))) expect(l).toMatch(/^orchestrator_[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$/);

    expect(JSON.parse((await send({ port }, 'GET', '/v1/pods')).body).error.code).toBe('UNAUTHORIZED');
    expect(JSON.parse((await send({ port }, 'GET', '/metrics')).body).error.code).toBe('UNAUTHORIZED');
    expect(JSON.parse((await send({ port }, 'GET', '/v1/pods', { ...bearer, host: `rebound.example:${port}` })).body).error.code).toBe('FORBIDDEN_HOST');
    expect(JSON.parse((await send({ port }, 'POST', '/v1/scale', { ...bearer, origin: 'http://evil.example' }, '{"replicas":{"worker":5}}')).body).error.code).toBe('FORBIDDEN_ORIGIN');
    expect((JSON.parse((await send({ socketPath }, 'GET', '/v1/tasks')).body) as { tasks: TaskInfo[] }).tasks[0]!.desired).toBe(2);
    expect((await send({ port }, 'OPTIONS', '/v1/pods', bearer)).status).toBe(405);
    expect((await send({ port }, 'GET', '/v1/pods', { ...bearer, host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    expect(JSON.parse((await send({ port }, 'GET', '/v1/status', bearer)).body).ui).toEqual({ url: `http://127.0.0.1:${port}/ui/` });
    await stopRun(running, file);
    expect(existsSync(join(dir, '.orchestrator', 'api-token'))).toBe(false);
  });

  it('--ui with an address other than --api is a usage error; ui against a run without --ui says so', async () => {
    const file = writeConfig('[tasks.idle]\ncommand = "sleep 60"\n');
    const usage = await verb(['run', file, '--ui', '127.0.0.1:7071', '--api', '127.0.0.1:7070']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--ui 127.0.0.1:7071 and --api 127.0.0.1:7070 differ');
    expect((await verb(['run', file, '--ui', '0.0.0.0:0'])).code).toBe(2);
    running = await startRun(file, 1);
    const ui = await verb(['ui', '-f', file]);
    expect(ui.code).toBe(1);
    expect(ui.stderr).toContain('runs without a dashboard; start it with "orchestrator run --ui"');
    await stopRun(running, file);
  });
});
