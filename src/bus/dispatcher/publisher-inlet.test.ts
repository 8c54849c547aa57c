import { describe, expect, it } from 'vitest';
import { harness, taskSpec } from './fakes.case.js';
import { PublisherInlet } from './publisher-inlet.js';

function setup(maxQueue: number, over = {}) {
  const h = harness([taskSpec('sink', { maxQueue, ...over })]);
  const flow = { paused: 0, resumed: 0, pause: () => void flow.paused++, resume: () => void flow.resumed++ };
  const inlet = new PublisherInlet(h.dispatcher, 'producer-0', flow);
  const depth = () => h.dispatcher.stats().tasks['sink']!.queued;
  return { h, flow, inlet, depth };
}
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('PublisherInlet', () => {
  it('one read chunk of 6000 messages never takes a max_queue = 100 queue past 100, and loses nothing', async () => {
    const { h, flow, inlet, depth } = setup(100);
    let maxDepth = 0;
    for (let i = 1; i <= 6000; i++) {
      inlet.publish('jobs', String(i)); // as the parser does for one chunk: synchronously, all of it
      maxDepth = Math.max(maxDepth, depth());
    }
    expect([maxDepth, depth(), inlet.pending, flow.paused]).toEqual([100, 100, 5900, 1]);
    const pod = h.ready('sink-1', 'sink');
    pod.full = true; // the pod takes a little at a time
    let seen = 0;
    for (let turn = 0; turn < 10_000 && pod.chunks.length < 6000; turn++) {
      h.dispatcher.podWritable('sink-1');
      maxDepth = Math.max(maxDepth, depth());
      await settle();
      maxDepth = Math.max(maxDepth, depth());
      seen = pod.chunks.length;
    }
    expect(seen).toBe(6000);
    expect(maxDepth).toBe(100);
    expect(pod.data()).toEqual(Array.from({ length: 6000 }, (_, i) => String(i + 1)));
    expect([inlet.pending, flow.paused, flow.resumed]).toEqual([0, 1, 1]);
  });

  it('holds on max_queue_bytes too: the queue never holds more than the budget', async () => {
    const { h, inlet } = setup(1000, { maxQueueBytes: 50 }); // weight: "jobs" (4) + 6 = 10 per message
    for (let i = 0; i < 20; i++) inlet.publish('jobs', `data-${i}`);
    expect(h.dispatcher.stats().tasks['sink']!.queued).toBe(5);
    expect(inlet.pending).toBe(15);
    const pod = h.ready('sink-1', 'sink');
    await settle();
    expect(pod.chunks).toHaveLength(20);
  });

  it('acknowledges when a reply is read, even while it is held back', () => {
    const h = harness([taskSpec('w', { mode: 'round_robin' }), taskSpec('results', { subscribe: ['jobs.result'], maxQueue: 1 })]);
    const flow = { pause: () => {}, resume: () => {} };
    const worker = h.ready('w-1', 'w');
    const inlet = new PublisherInlet(h.dispatcher, 'w-1', flow);
    h.dispatcher.publish('jobs', '1', null);
    h.dispatcher.publish('jobs', '2', null);
    inlet.publish('jobs.result', 'r1'); // queued for "results" (1/1)
    inlet.publish('jobs.result', 'r2'); // held back: "results" is full, but "2" is acknowledged
    expect(inlet.pending).toBe(1);
    expect(worker.data()).toEqual(['1', '2']);
    expect(h.dispatcher.stats().tasks['w']).toMatchObject({ acked: 2, inFlight: 0 });
  });

  it('after close, publishes what it holds but never resumes reading', async () => {
    const { h, flow, inlet } = setup(1);
    inlet.publish('jobs', '1');
    inlet.publish('jobs', '2');
    inlet.close();
    const pod = h.ready('sink-1', 'sink');
    await settle();
    expect(pod.data()).toEqual(['1', '2']);
    expect([flow.paused, flow.resumed]).toEqual([1, 0]);
  });

  it('counts every message it reads, before publishing, also those a full queue holds back', () => {
    const h = harness([taskSpec('sink', { maxQueue: 1 })]);
    const counted: string[] = [];
    const counter = { count: (topic: string, data: string, from: string | null, task: string | null) => void counted.push(`${topic}=${data} ${from} ${task}`) };
    const flow = { pause: () => {}, resume: () => {} };
    const inlet = new PublisherInlet(h.dispatcher, 'producer-0', flow, null, null, { counter, task: 'producer' });
    for (const data of ['1', '2', '3']) inlet.publish('jobs', data);
    expect(counted).toEqual(['jobs=1 producer-0 producer', 'jobs=2 producer-0 producer', 'jobs=3 producer-0 producer']);
    expect(inlet.pending).toBe(2);
  });
});
