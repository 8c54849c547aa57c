/**
 * Two built CLIs, instances a and b of one project, sharing a bus on a real nats-server (started
 * by test/nats/server.ts on a free port): work split, kill -9 of an instance, graceful handover,
 * dead letters, broadcast, project isolation and replay_latest across instances. Fails instead of
 * skipping with REQUIRE_NATS=1 and no server.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/control/target.js';
import { describeNats, type NatsServer, startNats } from '../nats/server.js';
import { fx, processesWithEnv, runCli, tempDir, until } from './harness.js';
import { type Delivery, deliveries, eventually, type Instance, jsonOf, startInstance, stopInstances, uniqueName } from './nats-harness.js';

const LEASE_MS = 2000;

let server: NatsServer;

function worker(out: string, options: { replicas?: number; env?: string; concurrency?: number; extra?: string } = {}): string {
  return [
    '[tasks.worker]',
    `command = ["node", ${fx('nats-job-worker.mjs')}]`,
    `replicas = ${options.replicas ?? 2}`,
    'subscribe = ["jobs"]',
    'mode = "round_robin"',
    'stdin = "json"',
    `concurrency = ${options.concurrency ?? 1}`,
    options.extra ?? '',
    `env = { OUT = ${JSON.stringify(out)}${options.env === undefined ? '' : `, ${options.env}`} }`,
    '',
  ].join('\n');
}

function producer(count: number, topic = 'jobs', replicas = 1): string {
  return ['[tasks.producer]', `command = ["node", ${fx('publish-n.mjs')}]`, `replicas = ${replicas}`, `env = { COUNT = "${count}", TOPIC = "${topic}" }`, ''].join('\n');
}

const bus = `[bus]\nlease = "${LEASE_MS / 1000}s"\nstorage = "memory"\n\n`;

const byData = (list: readonly Delivery[]): Map<string, Delivery[]> => {
  const map = new Map<string, Delivery[]>();
  for (const d of list) map.set(d.data, [...(map.get(d.data) ?? []), d]);
  return map;
};

describeNats('NATS bus: two instances', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    await stopInstances();
  }, 90_000);

  it('#1 splits round_robin work across instances: each job once, never more than concurrency per pod', async () => {
    const project = uniqueName('split');
    const out = join(tempDir(), 'deliveries.jsonl');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const n = 200;
    await startInstance(server, project, a, bus + worker(out, { env: 'DELAY_MS = "10"' }), 2);
    await startInstance(server, project, b, bus + worker(out, { env: 'DELAY_MS = "10"' }) + producer(n), 3);
    await until(() => deliveries(out).length >= n, 60_000, `${n} jobs were delivered`);
    const got = deliveries(out);
    expect(got).toHaveLength(n);
    expect([...byData(got).keys()].sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(got.filter((d) => d.attempt !== 1)).toEqual([]);
    expect(got.filter((d) => d.held > 1)).toEqual([]);
    const perInstance = new Map<string, number>();
    for (const d of got) perInstance.set(d.instance, (perInstance.get(d.instance) ?? 0) + 1);
    expect([...perInstance.keys()].sort()).toEqual([a, b].sort());
  }, 90_000);

  it('#2 kill -9 of an instance holding jobs: the other gets them with attempt 2 within lease + 1 s; its pods are reaped', async () => {
    const project = uniqueName('kill');
    const outA = join(tempDir(), 'a.jsonl');
    const outB = join(tempDir(), 'b.jsonl');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const first = await startInstance(server, project, a, bus + worker(outA, { env: 'HOLD = "1"' }) + producer(2), 3);
    await until(() => deliveries(outA).length === 2, 20_000, "a's workers hold both jobs");
    const second = await startInstance(server, project, b, bus + worker(outB) + producer(2, 'jobs', 0), 2);
    expect(processesWithEnv('ORCHESTRATOR_INSTANCE', a).length).toBeGreaterThanOrEqual(3);
    first.run.signal('SIGKILL');
    const takenOver = await second.run.waitFor(/\| got \d+ attempt=2$/, 2, LEASE_MS + 1000);
    expect(takenOver).toHaveLength(2);
    expect(deliveries(outB).map((d) => [d.data, d.attempt]).sort()).toEqual([['1', 2], ['2', 2]]);
    // The watchdog of the killed orchestrator stops its pods.
    await until(() => processesWithEnv('ORCHESTRATOR_INSTANCE', a).length === 0, 15_000, `${a}'s pods are reaped`);
  }, 90_000);

  it('#3 a graceful stop hands held jobs over at once (nak), not after a lease', async () => {
    const project = uniqueName('stop');
    const outA = join(tempDir(), 'a.jsonl');
    const outB = join(tempDir(), 'b.jsonl');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    // A lease far longer than the wait below: only a nak can hand the jobs over in time.
    const longLease = bus.replace(`lease = "${LEASE_MS / 1000}s"`, 'lease = "60s"');
    const first = await startInstance(server, project, a, longLease + worker(outA, { env: 'HOLD = "1"' }) + producer(2), 3);
    await until(() => deliveries(outA).length === 2, 20_000, "a's workers hold both jobs");
    const second = await startInstance(server, project, b, longLease + worker(outB) + producer(2, 'jobs', 0), 2);
    const stop = runCli(['stop', '-f', first.file]);
    expect((await stop.exit()).code).toBe(0);
    await second.run.waitFor(/\| got \d+ attempt=2$/, 2, 5000);
    expect(deliveries(outB).map((d) => [d.data, d.attempt]).sort()).toEqual([['1', 2], ['2', 2]]);
    expect(await first.run.exit()).toEqual({ code: 130, signal: null });
  }, 90_000);

  it('#4 a poison job is dead-lettered exactly once, whichever instance saw its last failure', async () => {
    const project = uniqueName('poison');
    const out = join(tempDir(), 'deliveries.jsonl');
    const dead = join(tempDir(), 'dead');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const poisoned = bus + worker(out, { env: 'CRASH_ON = "2"', extra: 'max_deliveries = 2\nbackoff = { base = "10ms", max = "10ms" }' });
    // The dead-letter subscriber runs on b only (a broadcast task on both would get it once per instance).
    const subscriber = ['[tasks.dead]', `command = ["node", ${fx('record-messages.mjs')}]`, 'subscribe = ["jobs.dead"]', `env = { RECORD_DIR = ${JSON.stringify(dead)}, EXPECT = "1" }`, ''].join('\n');
    mkdirSync(dead);
    const first = await startInstance(server, project, a, poisoned + producer(3, 'jobs', 0), 2);
    const second = await startInstance(server, project, b, poisoned + subscriber, 3);
    const scale = runCli(['scale', 'producer=1', '-f', first.file]);
    expect((await scale.exit()).code).toBe(0);
    await second.run.waitFor(/dead-0\s+\| recorded 1$/, 1, 30_000);
    await until(() => deliveries(out).length >= 2, 30_000, 'the two good jobs were handled');
    // Settled: nothing of the worker's queued or in flight on the server, seen from either instance.
    const settled = async (instance: Instance): Promise<boolean> => {
      const task = (await jsonOf<{ tasks: TaskInfo[] }>(instance, ['tasks'])).tasks.find((t) => t.name === 'worker');
      return task !== undefined && task.queued === 0 && task.inFlight === 0;
    };
    await eventually(() => settled(first), 15_000, "a sees the worker's queue empty");
    await eventually(() => settled(second), 15_000, "b sees the worker's queue empty");
    const deadLines = readdirSync(dead).filter((f) => f.endsWith('.log')).flatMap((f) => readFileSync(join(dead, f), 'utf8').split('\n').filter((l) => l !== ''));
    expect(deadLines).toEqual(['2']);
    const crashes = [...first.run.matching(/crashing on 2 attempt=/), ...second.run.matching(/crashing on 2 attempt=/)].map((l) => /attempt=(\d+)/.exec(l)?.[1]).sort();
    expect(crashes).toEqual(['1', '2']);
    expect(deliveries(out).map((d) => d.data).sort()).toEqual(['1', '3']);
  }, 90_000);

  it('#5 broadcast reaches every pod on every instance, each in publish order', async () => {
    const project = uniqueName('cast');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const dirs = [tempDir(), tempDir()];
    const m = 30;
    const cfg = (dir: string): string =>
      bus + ['[tasks.cfg]', `command = ["node", ${fx('record-messages.mjs')}]`, 'replicas = 2', 'subscribe = ["cfg"]', `env = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "${m}" }`, ''].join('\n') + producer(m, 'cfg', 0);
    const first = await startInstance(server, project, a, cfg(dirs[0]!), 2);
    const second = await startInstance(server, project, b, cfg(dirs[1]!), 2);
    const scale = runCli(['scale', 'producer=1', '-f', first.file]);
    expect((await scale.exit()).code).toBe(0);
    await first.run.waitFor(/cfg-\d\s+\| recorded 30$/, 2, 30_000);
    await second.run.waitFor(/cfg-\d\s+\| recorded 30$/, 2, 30_000);
    const logs = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')));
    expect(logs).toHaveLength(4);
    const expected = Array.from({ length: m }, (_, i) => `${i + 1}\n`).join('');
    expect(logs).toEqual([expected, expected, expected, expected]);
  }, 90_000);

  it('#9 two projects on one server never see each other\'s messages', async () => {
    const [p1, p2] = [uniqueName('iso'), uniqueName('iso')];
    const [out1, out2] = [join(tempDir(), '1.jsonl'), join(tempDir(), '2.jsonl')];
    const n = 20;
    const one = ['[tasks.producer]', `command = ["node", ${fx('publish-n.mjs')}]`, `env = { COUNT = "${n}", TOPIC = "jobs" }`, ''].join('\n');
    const two = ['[tasks.producer]', `command = ["node", ${fx('publish-seq.mjs')}]`, `env = { COUNT = "${n}", TOPIC = "jobs", PREFIX = "p2-" }`, ''].join('\n');
    await startInstance(server, p1, uniqueName('a'), bus + worker(out1, { replicas: 1 }) + one, 2);
    await startInstance(server, p2, uniqueName('a'), bus + worker(out2, { replicas: 1 }) + two, 2);
    await until(() => deliveries(out1).length >= n && deliveries(out2).length >= n, 30_000, 'both projects handled their jobs');
    const first = deliveries(out1).map((d) => d.data).sort();
    const second = deliveries(out2).map((d) => d.data).sort();
    expect(first).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)).sort());
    expect(second).toHaveLength(n);
    expect(second.filter((d) => first.includes(d))).toEqual([]);
  }, 90_000);

  it('#10 replay_latest across instances: a pod started on b gets the latest value published on a', async () => {
    const project = uniqueName('latest');
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const dirB = tempDir();
    const cfg = (dir: string, expected: number, producers: number): string =>
      bus +
      ['[tasks.cfg]', `command = ["node", ${fx('record-messages.mjs')}]`, 'subscribe = ["cfg"]', 'replay_latest = true', `env = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "${expected}" }`, ''].join('\n') +
      producer(3, 'cfg', producers);
    const first = await startInstance(server, project, a, cfg(tempDir(), 3, 1), 2);
    await first.run.waitFor(/cfg-0\s+\| recorded 3$/, 1, 20_000);
    const second = await startInstance(server, project, b, cfg(dirB, 1, 0), 1);
    await second.run.waitFor(/cfg-0\s+\| recorded 1$/, 1, 20_000);
    const logs = readdirSync(dirB).filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dirB, f), 'utf8'));
    expect(logs).toEqual(['3\n']);
  }, 90_000);
});
