/**
 * A dead letter's retry through the control API goes back to the task that dead-lettered it, and
 * only there: another task subscribing to the same topic already had the message and must not get
 * it again. Real processes; latches on pod output and polls of the API, no sleeps.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { DeadLetterInfo, PodInfo, TaskInfo, TopicInfo } from '../../src/control/api-types.js';
import { killLeftover, socketOf, startRun, stopRun } from './control-harness.js';
import { type CliRun, fx, tempDir, writeConfig } from './harness.js';
import { onBothBuses } from './nats-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

/** One request over the control socket: status and parsed body. */
function api<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
    });
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Polls GET `path` until `pred` holds on its body (no CLI process per poll). */
async function poll<T>(socketPath: string, path: string, pred: (body: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { body } = await api<T>(socketPath, 'GET', path);
    if (pred(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const RETRY_ONCE = 'POST /v1/tasks/{task}/dead/{id}/retry delivers the message to that task once, and to no other subscriber of its topic';

/** worker dead-letters "poison", audit (broadcast) records it; the retry must reach worker alone. `bus`: extra `run` flags. */
async function retryGoesToItsTaskOnly(bus: readonly string[]): Promise<void> {
  const dir = tempDir();
  const flag = join(dir, 'die');
  const out = join(dir, 'out.txt');
  const audit = join(dir, 'audit');
  writeFileSync(flag, '');
  writeFileSync(out, '');
  mkdirSync(audit);
  const file = writeConfig(
    `[tasks.worker]\ncommand = ["node", ${fx('die-while-flag.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nmax_deliveries = 2\nenv = { FLAG = ${JSON.stringify(flag)}, OUT = ${JSON.stringify(out)} }\n\n` +
      `[tasks.audit]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs"]\nenv = { RECORD_DIR = ${JSON.stringify(audit)}, EXPECT = "2" }\n`,
    dir,
  );
  running = await startRun(file, 2, [...bus]);
  await running.waitFor(/worker-0\s+\| ready worker-0$/);
  const socketPath = socketOf(file);
  expect((await api(socketPath, 'POST', '/v1/publish', { topic: 'jobs', data: 'poison' })).status).toBe(202);
  const { dead } = await poll<{ dead: DeadLetterInfo[] }>(socketPath, '/v1/tasks/worker/dead', (b) => b.dead.length > 0, 'the dead letter');
  expect(dead).toEqual([expect.objectContaining({ topic: 'jobs', data: 'poison', attempts: 2, reason: 'max-deliveries' })]);

  rmSync(flag);
  await poll<{ pods: PodInfo[] }>(socketPath, '/v1/pods', (b) => b.pods.some((p) => p.task === 'worker' && p.status === 'running'), 'the worker runs again');
  const retried = await api(socketPath, 'POST', `/v1/tasks/worker/dead/${encodeURIComponent(dead[0]!.id)}/retry`);
  expect(retried).toEqual({ status: 202, body: { retried: [dead[0]!.id] } });
  await poll<{ tasks: TaskInfo[] }>(socketPath, '/v1/tasks', (b) => b.tasks.find((t) => t.name === 'worker')?.acked === 1, 'the retried message acknowledged');

  // A marker after the retry: audit gets messages in publish order, so once it has the marker it
  // would have had a second copy of the poison before it.
  expect((await api(socketPath, 'POST', '/v1/publish', { topic: 'jobs', data: 'after' })).status).toBe(202);
  await running.waitFor(/audit-0\s+\| recorded 2$/);
  const logs = readdirSync(audit).filter((f) => f.endsWith('.log'));
  expect(logs).toHaveLength(1);
  expect(readFileSync(join(audit, logs[0]!), 'utf8')).toBe('poison\nafter\n');
  const { tasks } = await poll<{ tasks: TaskInfo[] }>(socketPath, '/v1/tasks', (b) => b.tasks.every((t) => t.queued === 0 && t.inFlight === 0) && b.tasks.find((t) => t.name === 'worker')?.acked === 2, 'the marker acknowledged, nothing queued or in flight');
  expect(readFileSync(out, 'utf8')).toBe('poison\nafter\n');
  expect(tasks.map((t) => [t.name, t.delivered, t.acked, t.deadLettered, t.queued, t.inFlight])).toEqual([
    ['worker', 4, 2, 1, 0, 0],
    ['audit', 2, 0, 0, 0, 0],
  ]);
  // The retry is not a publish on the topic: only the original and the marker count there.
  const { topics } = (await api<{ topics: TopicInfo[] }>(socketPath, 'GET', '/v1/topics')).body;
  expect(topics.find((t) => t.topic === 'jobs')).toMatchObject({ publishers: { '': 2 }, published: 2 });
  expect((await api(socketPath, 'GET', '/v1/tasks/worker/dead')).body).toEqual({ task: 'worker', dead: [], evicted: 0 });
  await stopRun(running, file);
}

onBothBuses('dead-letter retry', RETRY_ONCE, retryGoesToItsTaskOnly);
