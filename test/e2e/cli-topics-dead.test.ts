/**
 * `orchestrator topics` and `orchestrator dead` against a real run: a round_robin worker that
 * dead-letters every message while a flag file exists, and a broadcast watcher of `jobs.>` (so
 * the `.dead` republish has a subscriber). Exact outputs and exit codes; ages, which depend on
 * the clock, are the only thing normalised. Latches on pod output and polls of the API, no sleeps.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { DeadLetterInfo, PodInfo, TaskInfo, TopicInfo } from '../../src/control/api-types.js';
import { apiGet, killLeftover, startRun, stopRun, verb } from './control-harness.js';
import { type CliRun, fx, tempDir, writeConfig } from './harness.js';
import { onBothBuses } from './nats-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

/** Polls GET `path` until `pred` holds (no CLI process per poll). */
async function poll<T>(file: string, path: string, pred: (body: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const body = await apiGet<T>(file, path);
    if (pred(body)) return body;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An age cell with its padding ("3s     ", "12s    ") as "Ns" with the same width, so rows compare exactly. */
const ages = (text: string): string => text.replace(/\b\d{1,2}s\b */g, (m) => 'Ns'.padEnd(m.length));

// ESC ] 0 ; … BEL would set the terminal's title; it must print as visible escapes.
const EVIL = '\u001b]0;pwned\u0007';

const VIEWS = 'lists topics and dead letters, retries and deletes them, with exact outputs and exit codes';

/** `bus`: extra `run` flags. */
async function topicsAndDead(bus: readonly string[]): Promise<void> {
  const dir = tempDir();
  const flag = join(dir, 'die');
  const out = join(dir, 'out.txt');
  writeFileSync(flag, '');
  writeFileSync(out, '');
  const file = writeConfig(
    `[tasks.worker]\ncommand = ["node", ${fx('die-while-flag.mjs')}]\nsubscribe = ["jobs"]\nmode = "round_robin"\nmax_deliveries = 2\n` +
      `backoff = { base = "50ms", max = "100ms" }\nenv = { FLAG = ${JSON.stringify(flag)}, OUT = ${JSON.stringify(out)} }\n\n` +
      `[tasks.watcher]\ncommand = ["node", ${fx('print-messages.mjs')}]\nsubscribe = ["jobs.>"]\n`,
    dir,
  );
  const f = ['-f', file];
  running = await startRun(file, 2, [...bus]);
  await running.waitFor(/worker-0\s+\| ready worker-0$/);

  expect(await verb(['publish', 'jobs', 'poison', ...f])).toMatchObject({ code: 0 });
  await poll<{ dead: DeadLetterInfo[] }>(file, '/v1/tasks/worker/dead', (b) => b.dead.length === 1, 'the first dead letter');
  expect(await verb(['publish', 'jobs', EVIL, ...f])).toMatchObject({ code: 0 });
  const { dead } = await poll<{ dead: DeadLetterInfo[] }>(file, '/v1/tasks/worker/dead', (b) => b.dead.length === 2, 'the second dead letter');
  const [first, second] = dead.map((l) => l.id) as [string, string];
  await running.waitFor(/watcher-0\s+\| jobs\.dead /, 2);

  // topics: the table (a pipe: cut at 120 columns, nothing is that long here), a PATTERN, -o json.
  const { topics } = await apiGet<{ topics: TopicInfo[] }>(file, '/v1/topics');
  expect(topics.map((t) => t.topic).sort()).toEqual(['jobs', 'jobs.dead']);
  const listed = await verb(['topics', ...f]);
  expect(listed.code).toBe(0);
  expect(listed.stderr).toBe('');
  const row = {
    jobs: 'jobs        2           <orchestrator> 2   worker (round_robin)   Ns     \\e]0;pwned\\a',
    'jobs.dead': 'jobs.dead   2           <orchestrator> 2   watcher (broadcast)    Ns     \\e]0;pwned\\a',
  };
  expect(ages(listed.stdout).split('\n')).toEqual(['TOPIC       PUBLISHED   PUBLISHERS         SUBSCRIBERS            LAST   LATEST', ...topics.map((t) => row[t.topic as keyof typeof row])]);
  expect(listed.stdout).not.toContain('\u001b');
  const matched = await verb(['topics', 'jobs.*', ...f]);
  expect({ code: matched.code, stdout: ages(matched.stdout) }).toEqual({
    code: 0,
    stdout: 'TOPIC       PUBLISHED   PUBLISHERS         SUBSCRIBERS           LAST   LATEST\njobs.dead   2           <orchestrator> 2   watcher (broadcast)   Ns     \\e]0;pwned\\a',
  });
  expect(await verb(['topics', 'nothing.>', ...f])).toEqual({ code: 0, stdout: 'TOPIC   PUBLISHED   PUBLISHERS   SUBSCRIBERS   LAST   LATEST', stderr: '' });
  const bad = await verb(['topics', 'a..b', ...f]);
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr.split('\n')[0]).toMatch(/^orchestrator: topics: "a\.\.b" is not a topic pattern: /);
  const asJson = await verb(['topics', 'jobs', ...f, '-o', 'json']);
  expect(asJson.code).toBe(0);
  expect(JSON.parse(asJson.stdout)).toEqual({ topics: [expect.objectContaining({ topic: 'jobs', published: 2, publishers: { '': 2 }, latest: expect.objectContaining({ data: EVIL }) })], evicted: 0 });

  // dead: the list, -o json, an unknown task (2), an unknown id (1), a bare --retry (2).
  const deadList = await verb(['dead', 'worker', ...f]);
  const idWidth = Math.max(2, first.length, second.length);
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(idWidth) : c)).join('   ');
  expect({ code: deadList.code, stdout: ages(deadList.stdout), stderr: deadList.stderr }).toEqual({
    code: 0,
    stdout: [
      line(['ID', 'TOPIC   ATTEMPTS   REASON           AGE   DATA']),
      line([first, 'jobs    2          max-deliveries   Ns    poison']),
      line([second, 'jobs    2          max-deliveries   Ns    \\e]0;pwned\\a']),
    ].join('\n'),
    stderr: '',
  });
  const deadJson = await verb(['dead', 'worker', ...f, '-o', 'json']);
  expect(deadJson.code).toBe(0);
  expect(JSON.parse(deadJson.stdout)).toEqual(await apiGet(file, '/v1/tasks/worker/dead'));
  expect(await verb(['dead', 'nosuch', ...f])).toEqual({ code: 2, stdout: '', stderr: 'orchestrator: no task named "nosuch"; tasks: worker, watcher' });
  expect(await verb(['dead', 'worker', '--retry', 'nope', ...f])).toEqual({
    code: 1,
    stdout: '',
    stderr: 'orchestrator: task worker has no dead letter "nope" (already retried, deleted or forgotten; list them with "orchestrator dead worker")',
  });
  const bare = await verb(['dead', 'worker', '--retry', ...f]);
  expect(bare.code).toBe(2);
  expect(bare.stderr.split('\n')[0]).toBe('orchestrator: dead: --retry needs an ID, or --all for every listed letter');

  // Retry the first once the worker stops dying: it reaches the worker and is acknowledged.
  rmSync(flag);
  await poll<{ pods: PodInfo[] }>(file, '/v1/pods', (b) => b.pods.some((p) => p.task === 'worker' && p.status === 'running'), 'the worker runs again');
  expect(await verb(['dead', 'worker', '--retry', first, ...f])).toEqual({ code: 0, stdout: `retried ${first}`, stderr: '' });
  await poll<{ tasks: TaskInfo[] }>(file, '/v1/tasks', (b) => b.tasks.find((t) => t.name === 'worker')?.acked === 1, 'the retried message acknowledged');
  expect(readFileSync(out, 'utf8')).toBe('poison\n');
  expect(await verb(['dead', 'worker', '--retry', first, ...f])).toMatchObject({ code: 1, stdout: '' });

  // Delete the rest; then the list is empty and deleting the first again is exit 1.
  expect(await verb(['dead', 'worker', '--delete', '--all', ...f])).toEqual({ code: 0, stdout: 'deleted 1 dead letter of worker', stderr: '' });
  expect(await verb(['dead', 'worker', ...f])).toEqual({ code: 0, stdout: 'ID   TOPIC   ATTEMPTS   REASON   AGE   DATA', stderr: '' });
  expect(await verb(['dead', 'worker', '--retry', '--all', ...f, '-o', 'json'])).toEqual({ code: 0, stdout: '{"retried":[]}', stderr: '' });
  expect(await verb(['dead', 'worker', '--delete', second, ...f])).toMatchObject({ code: 1, stdout: '' });
  await stopRun(running, file);
}

onBothBuses('orchestrator topics / dead', VIEWS, topicsAndDead);
