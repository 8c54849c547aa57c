/**
 * Replies, requests and system.latest between two instances of one project: a request published on
 * A is answered by a worker on B and the reply reaches exactly A's requester (never B's pod of the
 * same name); a requester whose pod run ended, or whose whole instance is gone, gets nothing and
 * the drop is counted. Real nats-server, real time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeNats, startNats, type NatsServer } from '../../../test/nats/server.js';
import { until } from '../../../test/nats/wait.js';
import type { Message } from '../../protocol/types.js';
import type { FakePod } from '../../testing/fake-pod.js';
import type { Publisher } from '../bus.js';
import { taskSpec } from '../transport.case.js';
import type { DispatchTaskSpec } from '../types.js';
import { type Instance, TestInstances } from './instances.case.js';

let server: NatsServer;
const instances = new TestInstances('replies', () => server.url);
const instance = instances.start.bind(instances);
const project = (): string => instances.project();
const flow = { pause: () => undefined, resume: () => undefined };
const tasks = [taskSpec('w', { mode: 'round_robin', stdin: 'json' }), taskSpec('web', { subscribe: [] })];
const jsonData = (chunk: string): string => (JSON.parse(chunk) as { data: string }).data;
const drops = (i: Instance): [string, string | null, string][] => i.events.flatMap((e) => (e.type === 'dropped' ? [[e.task, e.pod, e.reason] as [string, string | null, string]] : []));

/** Worker pods that answer each delivery with "<data>!" on the next turn of the event loop. */
function answering(i: Instance, names: readonly string[]): FakePod[] {
  return names.map((name) => {
    const pod = i.ready(name, 'w');
    pod.onWrite = (chunk) => setImmediate(() => i.bus.publish('jobs.result', `${jsonData(chunk)}!`, name));
    return pod;
  });
}

/** A ready receive_replies pod of `web`. */
function requester(i: Instance, name: string): { pod: FakePod; out: Publisher } {
  const pod = i.ready(name, 'web');
  return { pod, out: i.bus.publisher(name, flow, { receiveReplies: true }) };
}

describeNats('NATS replies across instances', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterEach(async () => {
    await instances.closeAll();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('a request from A answered on B', () => {
    it("reaches only A's requester, one copy each, never B's pod of the same name", async () => {
      const p = project();
      const a = await instance(p, 'a', tasks);
      const b = await instance(p, 'b', tasks);
      answering(b, ['w-0', 'w-1']);
      const mine = requester(a, 'web-0');
      const namesake = requester(b, 'web-0');
      for (let n = 0; n < 50; n++) mine.out.publish('jobs', `r${n}`);
      await until(() => mine.pod.chunks.length >= 50, "50 replies at A's requester");
      await a.transport.settled();
      await b.transport.settled();
      expect(mine.pod.data().sort()).toEqual(Array.from({ length: 50 }, (_, n) => `r${n}!`).sort());
      expect(mine.pod.topics().every((t) => t === 'jobs.result')).toBe(true);
      expect(namesake.pod.chunks).toEqual([]);
      expect(b.bus.stats().tasks['w']).toMatchObject({ acked: 50, inFlight: 0 });
      expect([drops(a), drops(b)]).toEqual([[], []]);
    });

    it('Bus.request on A resolves with the reply of a worker on B; a local requester gets every reply with its ref', async () => {
      const p = project();
      const a = await instance(p, 'a', tasks);
      const b = await instance(p, 'b', tasks);
      answering(b, ['w-0']);
      const outcome = await a.bus.request('jobs', 'q', 5_000);
      expect(outcome.type === 'reply' ? [outcome.reply.topic, outcome.reply.data, outcome.reply.from] : outcome).toEqual(['jobs.result', 'q!', 'w-0']);
      const replies: Message[] = [];
      const out = a.bus.requester(flow, (m) => void replies.push(m));
      for (let n = 1; n <= 20; n++) out.publish('jobs', `l${n}`, null, String(n));
      await until(() => replies.length >= 20, '20 replies at the local requester');
      await a.transport.settled();
      expect(replies.map((m) => [m.inReplyTo, m.data]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(Array.from({ length: 20 }, (_, n) => [String(n + 1), `l${n + 1}!`]));
    });

    it('a task registered only by B counts as a responder on A', async () => {
      const p = project();
      const b = await instance(p, 'b', [taskSpec('only-b', { subscribe: ['b.jobs'], mode: 'round_robin' })]);
      const a = await instance(p, 'a', [taskSpec('web', { subscribe: [] })]);
      await until(() => a.bus.hasResponders('b.jobs'), "B's task seen on A");
      expect([a.bus.hasResponders('b.jobs'), a.bus.hasResponders('nobody')]).toEqual([true, false]);
      expect(b.bus.hasResponders('b.jobs')).toBe(true);
    });
  });

  describe('a requester that is gone', () => {
    it('pod run ended on A: the replies from B are dropped at A (requester-gone) and counted for its task', async () => {
      const p = project();
      const a = await instance(p, 'a', tasks);
      const b = await instance(p, 'b', [{ ...(tasks[0] as DispatchTaskSpec), concurrency: 2 }, tasks[1] as DispatchTaskSpec]);
      const worker = b.ready('w-0', 'w');
      const first = requester(a, 'web-0');
      first.out.publish('jobs', '1');
      first.out.publish('jobs', '2');
      await until(() => worker.chunks.length === 2, 'B holds both requests');
      first.out.close();
      a.bus.podGone('web-0');
      const second = requester(a, 'web-0'); // the same pod name, a new run
      b.bus.publish('jobs.result', 'late', 'w-0');
      b.bus.publish('jobs.result', 'late', 'w-0');
      await until(() => drops(a).length >= 2, 'two drops at A');
      await b.transport.settled();
      await a.transport.settled();
      expect(second.pod.chunks).toEqual([]);
      expect(drops(a)).toEqual([
        ['web', 'web-0', 'requester-gone'],
        ['web', 'web-0', 'requester-gone'],
      ]);
      expect(drops(b)).toEqual([]);
      expect(a.bus.stats().tasks['web']?.dropped).toBe(2);
      expect(b.bus.stats().tasks['w']?.acked).toBe(2);
    });

    it("A's instance is gone: the replies are dropped at B (no one listens on A's inbox subject) and counted there", async () => {
      const p = project();
      const a = await instance(p, 'a', tasks);
      const b = await instance(p, 'b', [{ ...(tasks[0] as DispatchTaskSpec), concurrency: 3 }, tasks[1] as DispatchTaskSpec]);
      const worker = b.ready('w-0', 'w');
      const { out } = requester(a, 'web-0');
      for (const n of ['1', '2', '3']) out.publish('jobs', n);
      await until(() => worker.chunks.length === 3, 'B holds the three requests');
      await a.transport.settled();
      await a.bus.close();
      for (let n = 0; n < 3; n++) b.bus.publish('jobs.result', `late${n}`, 'w-0');
      await until(() => drops(b).length >= 3, 'three drops at B');
      await b.transport.settled();
      expect(drops(b)).toEqual(Array.from({ length: 3 }, () => ['web', 'web-0', 'requester-gone']));
      expect(b.bus.stats().tasks['web']?.dropped).toBe(3);
      expect(b.bus.stats().tasks['w']?.acked).toBe(3);
    });
  });

  it('system.latest and latest on B read what A published, whether or not any task replays', async () => {
    const p = project();
    const a = await instance(p, 'a', tasks);
    const b = await instance(p, 'b', tasks);
    const pod = b.ready('web-0', 'web');
    for (const v of ['v1', 'v2', 'v3']) a.bus.publish('cfg', v, null);
    await a.transport.settled();
    expect((await b.bus.latest('cfg'))?.data).toBe('v3');
    expect(await b.bus.latest('other')).toBeNull();
    expect(b.bus.answerLatest('web-0', 'cfg')).toBe(true);
    expect(b.bus.answerLatest('web-0', 'other')).toBe(true);
    await until(() => pod.chunks.length === 2, 'two answers');
    expect(pod.chunks).toEqual(['cfg\n1\nv3\n', 'other\n-1\n']);
  });
});
