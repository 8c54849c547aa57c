import type { Msg, MsgCallback, SubscriptionOptions } from '@nats-io/transport-node';
import { describe, expect, it, vi } from 'vitest';
import { PubAcks, PublishRefusedError, PublishUnansweredError, pubAckError } from './pub-acks.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('pubAckError', () => {
  it('a PubAck, or a duplicate of a stored message, is stored', () => {
    expect(pubAckError(bytes('{"stream":"S","seq":4}'))).toBeNull();
    expect(pubAckError(bytes('{"stream":"S","seq":4,"duplicate":true}'))).toBeNull();
  });

  it('a refusal carries the JetStream err_code (10077: the stream is full)', () => {
    const error = pubAckError(bytes('{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"},"stream":"S","seq":0}'));
    expect(error).toBeInstanceOf(PublishRefusedError);
    expect(error?.code).toBe(10077);
    expect(error?.message).toBe('maximum messages exceeded');
  });

  it('an empty or unreadable answer is a refusal, never a store', () => {
    expect(pubAckError(new Uint8Array(0))).toBeInstanceOf(PublishRefusedError);
    expect(pubAckError(bytes('{"error":'))).toBeInstanceOf(PublishRefusedError);
  });
});

describe('PubAcks', () => {
  function fakeConnection() {
    let callback: MsgCallback<Msg> | undefined;
    const sent: { subject: string; reply: string; msgId: string | undefined }[] = [];
    const nc = {
      subscribe: (_subject: string, opts?: SubscriptionOptions) => {
        callback = opts?.callback;
        return { unsubscribe: () => undefined } as never;
      },
      publish: (subject: string, _data?: unknown, opts?: { reply?: string; headers?: { get(k: string): string } }) => {
        sent.push({ subject, reply: opts?.reply ?? '', msgId: opts?.headers?.get('Nats-Msg-Id') });
      },
    };
    const answer = (reply: string, data: string, code = 0): void => {
      void callback?.(null, { subject: reply, data: bytes(data), headers: code === 0 ? undefined : { code } } as unknown as Msg);
    };
    return { nc, sent, answer };
  }

  it('settles each publish by its own answer, in any order, with its Nats-Msg-Id sent', async () => {
    const { nc, sent, answer } = fakeConnection();
    const acks = new PubAcks(nc, 5_000);
    const a = acks.publish('orch.p.q.w', bytes('a'), 'i:1:w');
    const b = acks.publish('orch.p.q.w', bytes('b'), 'i:2:w');
    expect(sent.map((s) => s.msgId)).toEqual(['i:1:w', 'i:2:w']);
    answer(sent[1]!.reply, '{"error":{"err_code":10077,"description":"maximum messages exceeded"}}');
    answer(sent[0]!.reply, '{"stream":"S","seq":1}');
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toMatchObject({ code: 10077 });
    acks.close();
  });

  it('no responders and no answer in time fail the publish (the caller retries it)', async () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const { nc, sent, answer } = fakeConnection();
      const acks = new PubAcks(nc, 2_000, () => now);
      const gone = acks.publish('x', bytes('a'), 'm1');
      answer(sent[0]!.reply, '', 503);
      await expect(gone).rejects.toBeInstanceOf(PublishUnansweredError);
      const late = acks.publish('x', bytes('b'), 'm2');
      const rejected = expect(late).rejects.toBeInstanceOf(PublishUnansweredError);
      now = 1_000;
      vi.advanceTimersByTime(1_000);
      now = 2_500;
      vi.advanceTimersByTime(1_000);
      await rejected;
      // A late answer to a publish that already failed changes nothing.
      answer(sent[1]!.reply, '{"stream":"S","seq":2}');
      acks.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
