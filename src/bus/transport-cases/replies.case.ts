/** Transport suite: replies addressed to their requester, requests, and `system.latest` (see transport.case.ts). */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/types.js';
import { taskSpec, type Setup, type SuiteHarness } from '../transport.case.js';
import type { Publisher } from '../bus.js';

const flow = { pause: () => undefined, resume: () => undefined };
const pool = (over = {}) => taskSpec('w', { mode: 'round_robin', ...over });
const web = (over = {}) => taskSpec('web', { subscribe: [], ...over });

/** A ready requester pod of `web` and its publisher (a receive_replies pod run). */
function requester(h: SuiteHarness, name: string): { pod: ReturnType<SuiteHarness['ready']>; out: Publisher } {
  const pod = h.ready(name, 'web');
  return { pod, out: h.bus.publisher(name, flow, { receiveReplies: true }) };
}

/** Every worker answers each framed delivery at once with "<data>!" (through its own publisher). */
function answering(h: SuiteHarness, names: readonly string[]): void {
  for (const name of names) {
    const pod = h.ready(name, 'w');
    const out = h.bus.publisher(name, flow);
    pod.onWrite = (chunk) => queueMicrotask(() => out.publish('jobs.result', `${chunk.split('\n')[2]}!`));
  }
}

export function replyCases(setup: Setup): void {
  describe('replies to the requester', () => {
    it('each requester pod gets exactly its own replies, one copy each; subscribers of the result topic get all', async () => {
      const h = await setup([pool(), web(), taskSpec('audit', { subscribe: ['jobs.result'] })]);
      answering(h, ['w-0', 'w-1', 'w-2']);
      const audit = h.ready('audit-0', 'audit');
      const a = requester(h, 'web-0');
      const b = requester(h, 'web-1');
      for (let i = 0; i < 20; i++) {
        a.out.publish('jobs', `a${i}`);
        b.out.publish('jobs', `b${i}`);
      }
      for (let i = 0; i < 50 && audit.chunks.length < 40; i++) await h.settle();
      expect(a.pod.data().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}!`).sort());
      expect(b.pod.data().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}!`).sort());
      expect(a.pod.topics().every((t) => t === 'jobs.result')).toBe(true);
      expect(audit.chunks).toHaveLength(40);
      expect(h.bus.stats().tasks['w']).toMatchObject({ acked: 40, inFlight: 0 });
    });

    it('json: the reply names the request by the id the requester gave it, else by the message id', async () => {
      const h = await setup([pool(), web({ stdin: 'json' })]);
      const worker = h.ready('w-0', 'w');
      const { pod, out } = requester(h, 'web-0');
      const requests = h.tap(['jobs']);
      out.publish('jobs', 'x', null, 'mine-1');
      out.publish('jobs', 'y');
      await h.settle();
      h.bus.publish('jobs.result', 'X', 'w-0');
      await h.settle();
      h.bus.publish('jobs.result', 'Y', 'w-0');
      await h.settle();
      expect(worker.data()).toEqual(['x', 'y']);
      const got = pod.chunks.map((c) => JSON.parse(c) as Record<string, unknown>);
      expect(got.map((m) => [m['topic'], m['data'], m['in_reply_to']])).toEqual([
        ['jobs.result', 'X', 'mine-1'],
        ['jobs.result', 'Y', requests[1]?.id],
      ]);
    });

    it('a requester that is gone gets nothing: its replies are dropped and counted, never given to the next run', async () => {
      const h = await setup([pool({ concurrency: 2 }), web()]);
      h.ready('w-0', 'w');
      const first = requester(h, 'web-0');
      first.out.publish('jobs', '1');
      first.out.publish('jobs', '2');
      await h.settle();
      first.out.close();
      h.bus.podGone('web-0');
      const second = requester(h, 'web-0'); // the same pod name, a new run
      await h.settle();
      h.bus.publish('jobs.result', 'late', 'w-0');
      h.bus.publish('jobs.result', 'late', 'w-0');
      await h.settle();
      expect(second.pod.chunks).toEqual([]);
      expect(h.events.filter((e) => e.type === 'dropped').map((e) => [e.type, e.task, e.type === 'dropped' ? e.reason : ''])).toEqual([
        ['dropped', 'web', 'requester-gone'],
        ['dropped', 'web', 'requester-gone'],
      ]);
      expect(h.bus.stats().tasks['web']?.dropped).toBe(2);
      expect(h.bus.stats().tasks['w']?.acked).toBe(2);
    });

    it('a reply from a pod that holds no message of the topic acknowledges nothing, reaches no requester, is only published (warned once)', async () => {
      const h = await setup([pool(), web()]);
      h.ready('w-0', 'w');
      const results = h.tap(['jobs.result']);
      const { pod } = requester(h, 'web-0');
      h.bus.publish('jobs.result', 'stray', 'w-0');
      h.bus.publish('jobs.result', 'stray', 'w-0');
      await h.settle();
      expect(pod.chunks).toEqual([]);
      expect(results.map((m) => m.data)).toEqual(['stray', 'stray']);
      expect(h.warnings).toEqual([{ pod: 'w-0', topic: 'jobs' }]);
    });
  });

  describe('requests from the orchestrator', () => {
    it('a request resolves with its reply', async () => {
      const h = await setup([pool()]);
      answering(h, ['w-0']);
      const outcome = await h.bus.request('jobs', 'q', 5_000);
      expect(outcome.type === 'reply' ? [outcome.reply.topic, outcome.reply.data, outcome.reply.from] : outcome).toEqual(['jobs.result', 'q!', 'w-0']);
    });

    it('no task subscribes: "no responders" at once, nothing published', async () => {
      const h = await setup([pool()]);
      const seen = h.tap(['>']);
      expect(await h.bus.request('nobody', 'q', 5_000)).toEqual({ type: 'no-responders' });
      expect(seen).toEqual([]);
    });

    it('no reply in time: a timeout, and the late reply is dropped (counted)', async () => {
      const h = await setup([pool()]);
      h.ready('w-0', 'w');
      const pending = h.bus.request('jobs', 'q', 500);
      await h.settle();
      h.clock.advance(500);
      expect(await pending).toEqual({ type: 'timeout', afterMs: 500 });
      h.bus.publish('jobs.result', 'late', 'w-0');
      await h.settle();
      expect(h.events.some((e) => e.type === 'dropped' && e.reason === 'requester-gone')).toBe(true);
    });

    it('a local requester (pipeline mode) gets every reply with the ref it gave', async () => {
      const h = await setup([pool()]);
      answering(h, ['w-0', 'w-1']);
      const replies: Message[] = [];
      const out = h.bus.requester(flow, (m) => void replies.push(m));
      for (let i = 1; i <= 10; i++) out.publish('jobs', `l${i}`, null, String(i));
      for (let i = 0; i < 50 && replies.length < 10; i++) await h.settle();
      expect(replies.map((m) => [m.inReplyTo, m.data]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual(Array.from({ length: 10 }, (_, i) => [String(i + 1), `l${i + 1}!`]));
    });
  });

  describe('system.latest', () => {
    const formats = [
      ['framed', 'cfg\n1\nv2\n', 'cfg\n0\n', 'cfg\n-1\n'],
      ['json', '{"topic":"cfg","data":"v2","attempt":1}\n', '{"topic":"cfg","data":"","attempt":1}\n', '{"topic":"cfg","data":null}\n'],
      ['payload', '"v2"\n', '""\n', 'null\n'],
    ] as const;
    it.each(formats)('%s: present, empty and absent are told apart', async (stdin, present, empty, absent) => {
      const h = await setup([web({ stdin })]);
      const pod = h.ready('web-0', 'web');
      expect(h.bus.answerLatest('web-0', 'cfg')).toBe(true);
      await h.settle();
      h.bus.publish('cfg', 'v1', null);
      h.bus.publish('cfg', 'v2', null);
      await h.settle();
      expect(h.bus.answerLatest('web-0', 'cfg')).toBe(true);
      await h.settle();
      h.bus.publish('cfg', '', null);
      await h.settle();
      h.bus.answerLatest('web-0', 'cfg');
      await h.settle();
      // Message ids are the transport's: compared without them.
      const withoutId = pod.chunks.map((c) => (stdin === 'json' ? `${JSON.stringify({ ...JSON.parse(c), id: undefined })}\n` : c));
      expect(withoutId).toEqual([absent, present, empty]);
      expect(h.bus.answerLatest('web-9', 'cfg')).toBe(false);
    });

    it('latest: the retained message, null when none', async () => {
      const h = await setup([web()]);
      expect(await h.bus.latest('cfg')).toBeNull();
      h.bus.publish('cfg', 'v1', null);
      await h.settle();
      expect((await h.bus.latest('cfg'))?.data).toBe('v1');
    });
  });
}
