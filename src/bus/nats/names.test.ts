import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskSpec } from '../transport.case.js';
import { decodeEnvelope, differingKeys, encodeEnvelope, fingerprint, messagingSpec, natsNameProblem, parseTaskRecord, projectNames, sanitizeInstance, taskRecord } from './names.js';

describe('NATS names', () => {
  it('accepts project and instance names without "_" or "." only', () => {
    expect(['shop', 'web-1', 'A9'].map(natsNameProblem)).toEqual([null, null, null]);
    for (const bad of ['', '-a', 'a_b', 'a.b', 'a b', 'ü']) expect(natsNameProblem(bad)).toContain('letters, digits and "-"');
  });

  it('sanitizes a host name into an instance name', () => {
    expect(sanitizeInstance('web-1.example.com')).toBe('web-1-example-com');
    expect(sanitizeInstance('_box_')).toBe('box');
    expect(sanitizeInstance('...')).toBe('orchestrator');
  });

  it('names streams, subjects, durables and keys per project, task and instance', () => {
    const n = projectNames('shop', 'web-1');
    expect(n.taskStream('worker')).toBe('ORCH_shop_worker');
    expect(n.taskSubject('worker')).toBe('orch.shop.q.worker');
    expect(n.durable('worker', 'round_robin')).toBe('worker');
    expect(n.durable('log', 'broadcast')).toBe('log_web-1');
    expect(n.latestStream).toBe('ORCH_shop__LATEST');
    expect(n.latestSubject('a b*c')).toBe(`orch.shop.latest.${Buffer.from('a b*c').toString('base64url')}`);
    expect(n.latestSubject('')).toBe('orch.shop.latest._');
    expect(n.observerSubject).toBe('orch.shop.t');
    expect([n.stateBucket, n.liveBucket, n.taskKey('worker'), n.liveKey]).toEqual(['orch-shop', 'orch-shop-live', 'tasks.worker', 'instances.web-1']);
    expect(n.msgId('m7', 'worker')).toBe('web-1:m7:worker');
  });

  it('latest subjects are always one valid subject token, whatever the topic', () => {
    fc.assert(
      fc.property(fc.string(), (topic) => {
        const token = projectNames('p', 'i').latestSubject(topic).slice('orch.p.latest.'.length);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });
});

describe('messaging fingerprint', () => {
  const spec = taskSpec('w', { subscribe: ['a', 'b'], mode: 'round_robin' });

  it('ignores subscription order and the keys each instance may choose (concurrency, stdin, ack_timeout)', () => {
    const same = taskSpec('w', { subscribe: ['b', 'a'], mode: 'round_robin', concurrency: 8, stdin: 'json', ackTimeoutMs: 5_000 });
    expect(taskRecord(same).fingerprint).toBe(taskRecord(spec).fingerprint);
  });

  it('changes with every messaging key and names the differing ones in config spelling', () => {
    const other = taskSpec('w', { subscribe: ['a'], mode: 'round_robin', maxQueue: 7, maxQueueBytes: 9, overflow: 'reject', maxDeliveries: 2, replayLatest: true });
    expect(fingerprint(messagingSpec(other))).not.toBe(fingerprint(messagingSpec(spec)));
    expect(differingKeys(messagingSpec(spec), messagingSpec(other))).toEqual(['subscribe', 'max_queue', 'max_queue_bytes', 'overflow', 'max_deliveries', 'replay_latest']);
    expect(differingKeys(messagingSpec(spec), messagingSpec(taskSpec('w', { subscribe: ['a', 'b'] })))).toEqual(['mode']);
  });

  it('parses a registered record and refuses anything else', () => {
    const record = taskRecord(spec);
    expect(parseTaskRecord(Buffer.from(JSON.stringify(record)))).toEqual(record);
    for (const bad of ['', 'null', '{}', '{"fingerprint":"x","spec":{"subscribe":[1],"mode":"broadcast"}}', '{"fingerprint":"x","spec":{"subscribe":[],"mode":"x"}}']) {
      expect(parseTaskRecord(Buffer.from(bad))).toBeNull();
    }
  });
});

describe('envelope', () => {
  it('round-trips any message, newlines and all', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.option(fc.string(), { nil: null }), fc.integer({ min: 0 }), (id, topic, data, from, publishedAt) => {
        const message = { id, topic, data, from, publishedAt };
        expect(decodeEnvelope(encodeEnvelope(message))).toEqual(message);
      }),
    );
  });

  it('round-trips a request with its reply address, and a message without one keeps its four-field head', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: null }), (inbox, data, ref) => {
        const message = { id: 'm1', topic: 'jobs', data, from: 'web-0', publishedAt: 5, replyTo: { inbox, ref } };
        expect(decodeEnvelope(encodeEnvelope(message))).toEqual(message);
      }),
    );
    expect(encodeEnvelope({ id: 'm1', topic: 't', data: 'd', from: null, publishedAt: 1 }).toString()).toBe('["m1","t",null,1]\nd');
  });

  it('refuses bytes that are not an envelope', () => {
    for (const bad of ['', 'no newline', 'x\ny', '[1,2]\n', '["a","b",null]\nd', '["a","b",3,4]\nd', '{"a":1}\nd', '["a","b",null,4,"i"]\nd', '["a","b",null,4,5,null]\nd', '["a","b",null,4,"i",6]\nd']) {
      expect(decodeEnvelope(Buffer.from(bad))).toBeNull();
    }
  });
});
