/**
 * Faults and limits of the NATS bus with two built CLIs as instances of one project: the server
 * restarting mid-run (file storage), `overflow = "block"` holding back a publisher on another
 * instance, and the stream leader of a 3-node cluster killed while jobs flow.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/control/target.js';
import { describeNats, startCluster, startNats } from '../nats/server.js';
import { fx, tempDir, until } from './harness.js';
import { deliveries, eventually, jsonOf, startInstance, stopInstances, uniqueName } from './nats-harness.js';

const worker = (out: string, env: string, extra = ''): string =>
  ['[tasks.worker]', `command = ["node", ${fx('nats-job-worker.mjs')}]`, 'replicas = 2', 'subscribe = ["jobs"]', 'mode = "round_robin"', 'stdin = "json"', extra, `env = { OUT = ${JSON.stringify(out)}, ${env} }`, ''].join('\n');
const producer = (count: number, replicas = 1): string => ['[tasks.producer]', `command = ["node", ${fx('publish-n.mjs')}]`, `replicas = ${replicas}`, `env = { COUNT = "${count}", TOPIC = "jobs" }`, ''].join('\n');

/** The server name (n1, n2, n3) leading a stream's Raft group. */
async function streamLeader(urls: readonly string[], stream: string): Promise<string> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: [...urls] });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    return info.cluster?.leader ?? '';
  } finally {
    await nc.close();
  }
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stopInstances();
  for (const stop of stops.splice(0)) await stop();
}, 60_000);

describeNats('NATS bus: faults', () => {
  it('#7 a server restart mid-run (file storage): both instances reconnect, every job is done, none lost', async () => {
    const server = await startNats();
    stops.push(() => server.stop());
    const project = uniqueName('restart');
    const out = join(tempDir(), 'deliveries.jsonl');
    const n = 60;
    const bus = '[bus]\nlease = "2s"\nstorage = "file"\n\n';
    const a = await startInstance(server, project, uniqueName('a'), bus + worker(out, 'DELAY_MS = "100"'), 2);
    const b = await startInstance(server, project, uniqueName('b'), bus + worker(out, 'DELAY_MS = "100"') + producer(n), 3);
    await until(() => deliveries(out).length >= 8, 20_000, 'work is under way');
    await server.restart();
    await a.run.waitFor(/reconnected to the NATS server/, 1, 20_000);
    await b.run.waitFor(/reconnected to the NATS server/, 1, 20_000);
    await until(() => new Set(deliveries(out).map((d) => d.data)).size === n, 60_000, `all ${n} jobs were delivered`);
    const got = deliveries(out);
    expect([...new Set(got.map((d) => d.data))].sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    // Duplicates are allowed (acks sent while the server was down are lost), losses are not.
    let last: TaskInfo | undefined;
    const settled = async (): Promise<boolean> => {
      last = (await jsonOf<{ tasks: TaskInfo[] }>(b, ['tasks'])).tasks.find((t) => t.name === 'worker');
      return last !== undefined && last.queued === 0 && last.inFlight === 0;
    };
    await eventually(settled, 30_000, () => `the worker's queue is empty on the server (last: ${JSON.stringify(last)}; a: ${a.run.lines.slice(-15).join(' / ')}; b: ${b.run.lines.slice(-15).join(' / ')})`);
    expect(a.run.matching(/lost the NATS server/).length).toBeGreaterThanOrEqual(1);
    // One restart, one outage: each state once, in order, however many reconnect attempts it took.
    for (const inst of [a, b]) expect(inst.run.matching(/(lost|reconnecting to|reconnected to) the NATS server/).map((l) => /lost|reconnecting|reconnected/.exec(l)?.[0])).toEqual(['lost', 'reconnecting', 'reconnected']);
    console.log(`#7: ${got.length - n} duplicate deliveries of ${n} jobs across the restart`);
  }, 120_000);

  it('#6 overflow = "block" across instances: the stream stays within max_queue, the remote producer is paused, nothing is lost', async () => {
    const server = await startNats();
    stops.push(() => server.stop());
    const project = uniqueName('block');
    const out = join(tempDir(), 'deliveries.jsonl');
    const n = 600;
    const bus = '[bus]\nlease = "5s"\nstorage = "memory"\npublish_window = 16\n\n';
    const limits = 'max_queue = 100\noverflow = "block"';
    const a = await startInstance(server, project, uniqueName('a'), bus + worker(out, 'DELAY_MS = "5"', limits).replace('replicas = 2', 'replicas = 1'), 1);
    const b = await startInstance(server, project, uniqueName('b'), bus + worker(out, 'DELAY_MS = "5"', limits).replace('replicas = 2', 'replicas = 0') + producer(n), 1);
    // Sampled while the flood drains: queued + unacknowledged (what the stream holds) never passes max_queue.
    let maxHeld = 0;
    let samples = 0;
    await eventually(
      async () => {
        const worker = (await jsonOf<{ tasks: TaskInfo[] }>(b, ['tasks'])).tasks.find((t) => t.name === 'worker');
        if (deliveries(out).length < n) {
          maxHeld = Math.max(maxHeld, (worker?.queued ?? 0) + (worker?.inFlight ?? 0));
          samples += 1;
        }
        return new Set(deliveries(out).map((d) => d.data)).size === n;
      },
      120_000,
      `all ${n} jobs were delivered`,
    );
    expect(samples).toBeGreaterThan(0);
    expect(maxHeld).toBeLessThanOrEqual(100);
    expect(maxHeld).toBeGreaterThan(0);
    // 600 published into a queue of 100 with nothing rejected or dropped: the producer on b was held back.
    expect(deliveries(out)).toHaveLength(n);
    const counts = (await jsonOf<{ tasks: TaskInfo[] }>(b, ['tasks'])).tasks.find((t) => t.name === 'worker');
    expect([counts?.rejected, counts?.dropped]).toEqual([0, 0]);
    expect([...a.run.matching(/rejected|dropped/), ...b.run.matching(/rejected|dropped/)]).toEqual([]);
  }, 120_000);

  it('#8 3-node cluster, replicas = 3: kill -9 of the stream leader while jobs flow loses nothing', async () => {
    const cluster = await startCluster(3);
    stops.push(async () => {
      for (const node of cluster.nodes) await node.stop();
    });
    const project = uniqueName('cluster');
    const out = join(tempDir(), 'deliveries.jsonl');
    const n = 100;
    const url = { url: cluster.urls.join(',') };
    const bus = '[bus]\nlease = "3s"\nstorage = "file"\nreplicas = 3\n\n';
    const a = await startInstance(url, project, uniqueName('a'), bus + worker(out, 'DELAY_MS = "50"'), 2);
    await startInstance(url, project, uniqueName('b'), bus + worker(out, 'DELAY_MS = "50"') + producer(n), 3);
    await until(() => deliveries(out).length >= 10, 30_000, 'work is under way');
    const leader = await streamLeader(cluster.urls, `ORCH_${project}_worker`);
    const node = cluster.nodes[Number(/^n(\d)$/.exec(leader)?.[1]) - 1];
    expect(node).toBeDefined();
    node!.kill9();
    await until(() => new Set(deliveries(out).map((d) => d.data)).size === n, 90_000, `all ${n} jobs were delivered`);
    expect([...new Set(deliveries(out).map((d) => d.data))].sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(a.run.child.exitCode).toBeNull();
  }, 120_000);
});
