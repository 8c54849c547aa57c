/**
 * What only a shared server-side bus does: two instances of one project (work split, a killed
 * instance's work after the lease, a graceful stop's work at once), dead letters across instances,
 * `block` across the network, a server restart, and the start-up errors. Real nats-server, real time.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNats, freePort, startNats, type NatsServer } from '../../../test/nats/server.js';
import { until } from '../../../test/nats/wait.js';
import type { FakePod } from '../../testing/fake-pod.js';
import { silentLogger } from '../../util/logger.js';
import { systemClock } from '../../util/clock.js';
import type { Bus } from '../bus.js';
import { taskSpec } from '../transport.case.js';
import type { DispatchTaskSpec } from '../types.js';
import { createNatsTransport } from './index.js';
import { type Instance, natsSettings, TestInstances } from './instances.case.js';

let server: NatsServer;
const instances = new TestInstances('multi', () => server.url);
const instance = instances.start.bind(instances);
const project = (): string => instances.project();
const worker = (over: Partial<DispatchTaskSpec> = {}): DispatchTaskSpec => taskSpec('w', { mode: 'round_robin', stdin: 'json', ...over });
const parsed = (chunk: string): { data: string; attempt: number; id: string } => JSON.parse(chunk) as { data: string; attempt: number; id: string };

/** A pod that answers each job on the next turn of the event loop, recording the most it held at once. */
function replying(bus: Bus, pod: FakePod, topic = 'jobs'): { maxHeld: () => number } {
  let held = 0;
  let max = 0;
  pod.onWrite = () => {
    held++;
    max = Math.max(max, held);
    setImmediate(() => {
      held--;
      bus.publish(`${topic}.result`, '', pod.name);
    });
  };
  return { maxHeld: () => max };
}

describeNats('NATS transport across instances', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterEach(async () => {
    await instances.closeAll();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('splits round_robin work between two instances, each job exactly once, never more than concurrency per pod', async () => {
    const p = project();
    const a = await instance(p, 'a', [worker()]);
    const b = await instance(p, 'b', [worker()]);
    const pods = [a.ready('w-1', 'w'), a.ready('w-2', 'w'), b.ready('w-1', 'w'), b.ready('w-2', 'w')];
    const gauges = pods.map((pod, i) => replying(i < 2 ? a.bus : b.bus, pod));
    for (let i = 0; i < 200; i++) a.bus.publish('jobs', `j${i}`, null);
    await until(() => pods.reduce((n, pod) => n + pod.chunks.length, 0) >= 200, '200 deliveries');
    await a.transport.settled();
    await b.transport.settled();
    const seen = pods.flatMap((pod) => pod.chunks.map((c) => parsed(c).data)).sort();
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => `j${i}`).sort());
    expect(pods.slice(0, 2).reduce((n, pod) => n + pod.chunks.length, 0)).toBeGreaterThan(0);
    expect(pods.slice(2).reduce((n, pod) => n + pod.chunks.length, 0)).toBeGreaterThan(0);
    expect(gauges.map((g) => g.maxHeld())).toEqual([1, 1, 1, 1]);
    expect(await a.bus.depth()).toEqual({ w: { queued: 0, inFlight: 0 } });
  });

  it('broadcast: one pod gets 3000 messages in publish order (the server splits a stream between concurrent pulls)', async () => {
    const a = await instance(project(), 'a', [taskSpec('c', { subscribe: ['cfg'], maxQueue: 100_000 })]);
    const pod = a.ready('c-1', 'c');
    for (let i = 0; i < 3000; i++) a.bus.publish('cfg', String(i), null);
    await until(() => pod.data().length >= 3000, 'all 3000 delivered', 60_000);
    expect(pod.data()).toEqual(Array.from({ length: 3000 }, (_, i) => String(i)));
  });

  it("a killed instance's held jobs reach the other instance after the lease, with attempt 2", async () => {
    const p = project();
    const a = await instance(p, 'a', [worker({ concurrency: 2 })]);
    const b = await instance(p, 'b', [worker()]);
    const held = a.ready('w-1', 'w');
    a.bus.publish('jobs', 'x', null);
    a.bus.publish('jobs', 'y', null);
    await until(() => held.chunks.length === 2, 'a holds both');
    await a.transport.abandon(); // as kill -9: nothing is settled, the lease runs out on the server
    const later = b.ready('w-1', 'w');
    replying(b.bus, later);
    await until(() => later.chunks.length === 2, 'b gets both', 5_000);
    expect(later.chunks.map((c) => `${parsed(c).data}#${parsed(c).attempt}`).sort()).toEqual(['x#2', 'y#2']);
    await b.transport.settled();
    expect(later.chunks).toHaveLength(2);
  });

  it("a graceful close hands its held jobs over at once (nak), long before the lease", async () => {
    const p = project();
    const long = { leaseMs: 60_000 };
    const a = await instance(p, 'a', [worker({ concurrency: 2 })], long);
    const b = await instance(p, 'b', [worker()], long);
    const held = a.ready('w-1', 'w');
    a.bus.publish('jobs', 'x', null);
    a.bus.publish('jobs', 'y', null);
    await until(() => held.chunks.length === 2, 'a holds both');
    await a.bus.close();
    const later = b.ready('w-1', 'w');
    replying(b.bus, later);
    await until(() => later.chunks.length === 2, 'b gets both', 10_000);
    expect(later.chunks.map((c) => `${parsed(c).data}#${parsed(c).attempt}`).sort()).toEqual(['x#2', 'y#2']);
  });

  it('dead-letters a poison job exactly once when pods on both instances crash on it', async () => {
    const p = project();
    const spec = worker({ maxDeliveries: 2 });
    const dlq = taskSpec('dlq', { subscribe: ['jobs.dead'] });
    const a = await instance(p, 'a', [spec, dlq]);
    const b = await instance(p, 'b', [spec]);
    const letters = a.ready('dlq-1', 'dlq');
    const crashing = (i: Instance, name: string, n = 0): void => {
      const pod = i.ready(`${name}-${n}`, 'w');
      pod.onWrite = () => setImmediate(() => {
        i.bus.podGone(pod.name);
        crashing(i, name, n + 1);
      });
    };
    crashing(a, 'w');
    crashing(b, 'w');
    a.bus.publish('jobs', 'poison', null);
    await until(() => letters.chunks.length === 1, 'the dead letter');
    await a.transport.settled();
    await b.transport.settled();
    expect(letters.chunks).toEqual(['jobs.dead\n1\npoison\n']);
    const dead = [...a.events, ...b.events].filter((e) => e.type === 'dead-lettered');
    expect(dead).toHaveLength(1);
    expect((await a.bus.depth())['w']).toEqual({ queued: 0, inFlight: 0 });
  });

  it('a job whose holder died after its last allowed delivery is dead-lettered without reaching a pod', async () => {
    const p = project();
    const spec = worker({ maxDeliveries: 1 });
    const a = await instance(p, 'a', [spec]);
    const b = await instance(p, 'b', [spec, taskSpec('dlq', { subscribe: ['jobs.dead'] })]);
    const held = a.ready('w-1', 'w');
    a.bus.publish('jobs', 'x', 'producer');
    await until(() => held.chunks.length === 1, 'a holds it');
    await a.transport.abandon();
    const letters = b.ready('dlq-1', 'dlq');
    const idle = b.ready('w-1', 'w');
    await until(() => letters.chunks.length === 1, 'the dead letter', 5_000);
    await b.transport.settled();
    expect(letters.chunks).toEqual(['jobs.dead\n1\nx\n']);
    expect(idle.chunks).toEqual([]);
    expect((await b.bus.depth())['w']).toEqual({ queued: 0, inFlight: 0 });
  });

  it('a pod publisher is seen as <instance>/<pod> on other instances', async () => {
    const p = project();
    const a = await instance(p, 'a', []);
    const b = await instance(p, 'b', []);
    const seen: (string | null)[] = [];
    b.bus.tap(['hello'], (m) => void seen.push(m.from));
    await until(() => a.transport.remoteObservers === 1, 'a knows b observes');
    a.bus.publish('hello', 'hi', 'w-1');
    a.bus.publish('hello', 'hi', null);
    await until(() => seen.length === 2, 'both at b');
    expect(seen).toEqual(['a/w-1', null]);
  });

  it('block: a full stream pauses the publishing instance, and nothing is lost once a pod drains it', async () => {
    const p = project();
    const log = taskSpec('log', { maxQueue: 5, overflow: 'block' });
    const consumer = await instance(p, 'a', [log]);
    const producer = await instance(p, 'b', [], { publishWindow: 1 });
    await until(() => producer.bus.hasSubscribers('jobs'), 'b routes to log');
    let paused = 0;
    const inlet = producer.bus.publisher('producer-1', { pause: () => void paused++, resume: () => undefined });
    for (let i = 0; i < 20; i++) inlet.publish('jobs', `m${i}`);
    await until(() => paused > 0, 'the producer paused');
    expect((await consumer.bus.depth())['log']?.queued).toBeLessThanOrEqual(5);
    const pod = consumer.ready('log-1', 'log');
    await until(() => pod.chunks.length === 20, 'all 20 delivered');
    expect(pod.data()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(inlet.pending).toBe(0);
  });

  it('rejects at start: unreachable server, duplicate instance, differing messaging keys, max_payload', async () => {
    const port = await freePort();
    const hidden = `nats://user:s3cret@127.0.0.1:${port}`;
    const shown = `nats://***@127.0.0.1:${port}`;
    const unreachable = createNatsTransport({ ...natsSettings(hidden, project(), 'a', { connectTimeoutMs: 1_000 }), displayServers: [shown], auth: { kind: 'user', user: 'user', pass: 's3cret' } }, { clock: systemClock, newId: () => 'x', logger: silentLogger });
    const error = (await unreachable.then(() => null, (e: unknown) => e)) as Error & { code: string };
    expect(error).toMatchObject({ code: 'bus-unreachable' });
    expect(error.message).toContain(shown);
    expect(error.message).not.toContain('s3cret');

    const p = project();
    const first = await instance(p, 'a', [worker()]);
    const deps = { clock: systemClock, newId: () => 'x', logger: silentLogger };
    await expect(createNatsTransport(natsSettings(server.url, p, 'a'), deps)).rejects.toMatchObject({ code: 'bus-duplicate-instance' });
    await expect(createNatsTransport(natsSettings(server.url, p, 'b'), { ...deps, tasks: [worker({ maxQueue: 7, overflow: 'reject' })] })).rejects.toMatchObject({ code: 'bus-task-mismatch', keys: ['max_queue', 'overflow'] });
    await expect(createNatsTransport(natsSettings(server.url, p, 'c'), { ...deps, maxMessageSize: 2 * 1024 * 1024 })).rejects.toMatchObject({ code: 'bus-max-payload' });
    expect(first.bus.kind).toBe('nats');
  });
});

describeNats('NATS transport across a server restart', () => {
  let own: NatsServer;
  beforeAll(async () => {
    own = await startNats({ port: await freePort() });
  });
  afterAll(async () => {
    await instances.closeAll();
    await own?.stop();
  });

  it('file storage: work resumes after a restart and nothing is lost; the connection changes are reported, each once', async () => {
    const a = await instance(project(), 'a', [worker()], { storage: 'file' }, own.url);
    const pod = a.ready('w-1', 'w');
    replying(a.bus, pod);
    for (let i = 0; i < 10; i++) a.bus.publish('jobs', `before${i}`, null);
    await until(() => pod.chunks.length >= 10, 'the first 10');
    await own.restart();
    for (let i = 0; i < 10; i++) a.bus.publish('jobs', `after${i}`, null);
    await until(() => new Set(pod.chunks.map((c) => parsed(c).data)).size === 20, 'all 20 handled', 20_000);
    expect(a.notices.filter((n) => n.type === 'connection').map((n) => n.type === 'connection' && n.state)).toEqual(['connected', 'disconnected', 'reconnecting', 'reconnected']);
  });
});
