import type { Msg, MsgCallback, SubscriptionOptions } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../util/logger.js';
import type { DispatchTaskSpec } from '../types.js';
import { Outbox } from './outbox.js';
import { PULL_HEARTBEAT_MS } from './pull-engine.js';
import { TaskPulls } from './task-pulls.js';

/** A connection that records pull requests and lets the test answer on the pull inbox. */
function fakeServer() {
  let callback: MsgCallback<Msg> | undefined;
  let inbox = '';
  const requests: { batch: number; reply: string }[] = [];
  const nc = {
    subscribe: (subject: string, opts?: SubscriptionOptions) => {
      inbox = subject.slice(0, -1);
      callback = opts?.callback;
      return { unsubscribe: () => undefined, drain: () => Promise.resolve() } as never;
    },
    publish: (_subject: string, data?: unknown, opts?: { reply?: string }) => {
      requests.push({ batch: (JSON.parse(String(data)) as { batch: number }).batch, reply: opts?.reply ?? '' });
    },
  };
  let seq = 0;
  const deliver = (): void => {
    seq++;
    void callback?.(null, { subject: 'orch.p.q.w', reply: `$JS.ACK.S.w.1.${seq}.${seq}.1.0`, data: new Uint8Array(0) } as unknown as Msg);
  };
  const status = (batch: number, code: number, description: string, pending?: string): void => {
    const headers = { code, description, get: (k: string) => (k === 'Nats-Pending-Messages' ? pending : undefined) };
    void callback?.(null, { subject: `${inbox}${batch}`, data: new Uint8Array(0), headers } as unknown as Msg);
  };
  return { nc, requests, deliver, status };
}

describe('TaskPulls', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(concurrency: number) {
    const server = fakeServer();
    const outbox = new Outbox(() => undefined);
    let buffered = 0;
    let lookups = 0;
    let failed = 0;
    const received: number[] = [];
    const pulls = new TaskPulls({
      logger: silentLogger,
      outbox,
      nc: server.nc,
      pullSubject: '$JS.API.CONSUMER.MSG.NEXT.S.w',
      spec: () => ({ name: 'w', mode: 'round_robin', concurrency }) as DispatchTaskSpec,
      consumer: () => {
        lookups++;
        return Promise.resolve();
      },
      pullFailed: () => failed++,
      buffered: () => buffered,
      active: () => true,
      receive: (_msg, info) => received.push(info.streamSeq),
    });
    const turn = async (): Promise<void> => {
      outbox.flush();
      await Promise.resolve();
      outbox.flush();
    };
    return { server, pulls, turn, received, setBuffered: (n: number) => (buffered = n), lookups: () => lookups, failed: () => failed };
  }

  it('asks for exactly the free slots not covered, one request per pod of slots, once per turn', async () => {
    const { server, pulls, turn, received, setBuffered } = setup(2);
    let slots = 6;
    pulls.want(() => slots);
    pulls.want(() => slots);
    await turn();
    expect(server.requests.map((r) => r.batch)).toEqual([2, 2, 2]);
    expect(pulls.requested).toBe(6);
    server.deliver();
    server.deliver();
    expect(received).toEqual([1, 2]);
    expect(pulls.requested).toBe(4);
    // Both delivered messages wait in the buffer: nothing more to ask for.
    setBuffered(2);
    pulls.want(() => slots);
    await turn();
    expect(server.requests).toHaveLength(3);
    // A pod took them and finished one: one slot is free.
    setBuffered(0);
    slots = 5;
    pulls.want(() => slots);
    await turn();
    expect(server.requests.map((r) => r.batch)).toEqual([2, 2, 2, 1]);
    expect(pulls.requested).toBe(5);
  });

  it('an expired request gives back what it did not serve; a refused one is asked again later', async () => {
    const { server, pulls, turn } = setup(1);
    pulls.want(() => 2);
    await turn();
    expect(pulls.requested).toBe(2);
    server.status(1, 408, 'Request Timeout', '1');
    await turn();
    // The freed credit is asked for again at once.
    expect(server.requests.map((r) => r.batch)).toEqual([1, 1, 1]);
    expect(pulls.requested).toBe(2);
    server.status(1, 409, 'Exceeded MaxWaiting');
    await turn();
    expect(server.requests).toHaveLength(3);
    expect(pulls.requested).toBe(1);
    vi.advanceTimersByTime(300);
    await turn();
    expect(server.requests).toHaveLength(4);
    expect(pulls.requested).toBe(2);
  });

  it('two missed heartbeats lose the pulls: the durable is looked up again and the slots asked for again', async () => {
    const { server, pulls, turn, lookups, failed } = setup(1);
    pulls.want(() => 1);
    await turn();
    await turn();
    expect(lookups()).toBe(1);
    expect(server.requests).toHaveLength(1);
    // Heartbeats keep the request alive.
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(PULL_HEARTBEAT_MS);
      server.status(1, 100, 'Idle Heartbeat');
    }
    expect(failed()).toBe(0);
    vi.advanceTimersByTime(3 * PULL_HEARTBEAT_MS);
    expect(failed()).toBe(1);
    expect(pulls.requested).toBe(0);
    vi.advanceTimersByTime(300);
    await turn();
    await turn();
    expect(lookups()).toBe(2);
    expect(server.requests).toHaveLength(2);
  });
});
