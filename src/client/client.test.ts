import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientError, createClient, FrameDecodeError, InvalidTopicError, type IncomingMessage } from './index.js';

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

async function readAll(it: AsyncIterable<IncomingMessage>): Promise<IncomingMessage[]> {
  const out: IncomingMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('client', () => {
  it('reads framed deliveries split across chunks', async () => {
    const input = new PassThrough();
    const client = createClient({ input, output: new PassThrough(), format: 'framed' });
    const done = readAll(client.messages());
    input.write('jo');
    input.write('bs\n1\nbuild');
    input.write('-42\nx\n2\na\nb\n');
    input.end('y\n0\n');
    expect(await done).toEqual([
      { topic: 'jobs', data: 'build-42' },
      { topic: 'x', data: 'a\nb' },
      { topic: 'y', data: '' },
    ]);
  });

  it('takes the format from ORCHESTRATOR_STDIN and reads json', async () => {
    vi.stubEnv('ORCHESTRATOR_STDIN', 'json');
    const input = new PassThrough();
    const client = createClient({ input, output: new PassThrough() });
    expect(client.format).toBe('json');
    input.end('{"topic":"t","data":"d","id":"1","attempt":2}\n');
    expect(await readAll(client.messages())).toEqual([{ topic: 't', data: 'd', id: '1', attempt: 2 }]);
  });

  it('rejects an unknown format and a second reader', () => {
    vi.stubEnv('ORCHESTRATOR_STDIN', 'xml');
    expect(() => createClient({ input: new PassThrough(), output: new PassThrough() })).toThrow(expect.objectContaining({ code: 'BAD_FORMAT' }));
    const client = createClient({ input: new PassThrough(), output: new PassThrough(), format: 'payload' });
    client.messages();
    expect(() => client.messages()).toThrow(expect.objectContaining({ code: 'ALREADY_READING' }));
  });

  it('delivers messages decoded before a bad frame, then fails with FrameDecodeError', async () => {
    const input = new PassThrough();
    const client = createClient({ input, output: new PassThrough(), format: 'framed' });
    input.end('t\n1\nok\nt\nbad\n');
    const seen: IncomingMessage[] = [];
    await expect(async () => {
      for await (const m of client.messages()) seen.push(m);
    }).rejects.toBeInstanceOf(FrameDecodeError);
    expect(seen).toEqual([{ topic: 't', data: 'ok' }]);
  });

  it('writes the stdout protocol', async () => {
    const output = new PassThrough();
    const written = collect(output);
    const client = createClient({ input: new PassThrough(), output, format: 'framed' });
    await client.ready();
    await client.subscribe('jobs.*');
    await client.unsubscribe('jobs.>');
    await client.publish('jobs', 'build-42');
    await client.publish('jobs', 'a\nb');
    await client.reply({ topic: 'jobs', data: 'build-42' }, 'done');
    expect(written()).toBe(
      '"system.ready": 1\n"system.subscribe": jobs.*\n"system.unsubscribe": jobs.>\n"jobs": build-42\n"jobs"::\na\nb\n::"jobs"\n"jobs.result": done\n',
    );
  });

  it('rejects invalid topics and payload replies without writing', async () => {
    const output = new PassThrough();
    const written = collect(output);
    const client = createClient({ input: new PassThrough(), output, format: 'payload' });
    await expect(client.publish('a..b', 'x')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(client.subscribe('')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(client.reply({ topic: '', data: 'x' }, 'y')).rejects.toMatchObject({ code: 'REPLY_WITHOUT_TOPIC' });
    expect(written()).toBe('');
  });

  it('refuses subscription patterns the broker refuses, with its reason, without writing', async () => {
    const output = new PassThrough();
    const written = collect(output);
    const client = createClient({ input: new PassThrough(), output, format: 'framed' });
    await expect(client.subscribe('a..b')).rejects.toMatchObject({
      code: 'INVALID_TOPIC',
      message: 'invalid topic "a..b": not a subscription pattern: empty token (leading, trailing or double ".")',
    });
    await expect(client.unsubscribe('>.a')).rejects.toMatchObject({
      code: 'INVALID_TOPIC',
      message: 'invalid topic ">.a": not a subscription pattern: ">" is only allowed as the last token',
    });
    await expect(client.subscribe('a.')).rejects.toBeInstanceOf(InvalidTopicError);
    await expect(client.subscribe('a b')).rejects.toBeInstanceOf(InvalidTopicError);
    expect(written()).toBe('');
    await client.subscribe('a*b.*.>');
    expect(written()).toBe('"system.subscribe": a*b.*.>\n');
  });

  it('resolves publish only once a slow stdout accepted the bytes', async () => {
    const callbacks: (() => void)[] = [];
    const output = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, cb) {
        callbacks.push(cb);
      },
    });
    const client = createClient({ input: new PassThrough(), output, format: 'framed' });
    let resolved = false;
    const p = client.publish('t', 'x').then(() => {
      resolved = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    callbacks.shift()?.();
    await p;
    expect(resolved).toBe(true);
  });

  it('turns stdout write errors into ClientError WRITE_FAILED', async () => {
    const output = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE'));
      },
    });
    output.on('error', () => {});
    const client = createClient({ input: new PassThrough(), output, format: 'framed' });
    const err = await client.publish('t', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'WRITE_FAILED' });
  });

  it('request (json): several in flight, each matched to its reply by in_reply_to; other deliveries still reach messages()', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const written = collect(output);
    const client = createClient({ input, output, format: 'json' });
    const one = client.request('jobs', 'a');
    const two = client.request('jobs', 'b');
    await new Promise((r) => setImmediate(r));
    expect(written()).toBe('{"topic":"jobs","data":"a","id":"req-1"}\n{"topic":"jobs","data":"b","id":"req-2"}\n');
    const others = readAll(client.messages());
    input.write('{"topic":"jobs.result","data":"B","id":"m9","attempt":1,"in_reply_to":"req-2"}\n');
    input.write('{"topic":"news","data":"n","id":"m10","attempt":1}\n');
    input.write('{"topic":"jobs.result","data":"A","id":"m11","attempt":1,"in_reply_to":"req-1"}\n');
    expect(await Promise.all([one, two])).toEqual(['A', 'B']);
    input.end();
    expect(await others).toEqual([{ topic: 'news', data: 'n', id: 'm10', attempt: 1 }]);
  });

  it('request (framed): one at a time, in call order; a timeout rejects and its late reply is skipped', async () => {
    vi.useFakeTimers();
    try {
      const input = new PassThrough();
      const output = new PassThrough();
      const written = collect(output);
      const client = createClient({ input, output, format: 'framed' });
      const late = client.request('jobs', 'slow', { timeout: 100 });
      const next = client.request('jobs', 'fast', { timeout: 10_000 });
      const rejected = expect(late).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' });
      await vi.advanceTimersByTimeAsync(100);
      await rejected;
      await vi.advanceTimersByTimeAsync(0);
      expect(written()).toBe('"jobs": slow\n"jobs": fast\n');
      input.write('jobs.result\n1\nSLOW\njobs.result\n1\nFAST\n');
      expect(await next).toBe('FAST');
    } finally {
      vi.useRealTimers();
    }
  });
});
