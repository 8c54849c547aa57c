/**
 * The Node client for pod authors (`stdio-orchestrator/client`). It reads deliveries from stdin in
 * the task's stdin format and writes the stdout protocol; see docs/protocol.md.
 */
import type { Readable, Writable } from 'node:stream';
import { formatPublish } from '../protocol/encode.js';
import { FrameDecodeError, InvalidTopicError, UnencodableDataError } from '../protocol/errors.js';
import { createFrameDecoder, type IncomingMessage } from '../protocol/frame-decoder.js';
import { isValidTopic, patternProblem, validateTopic } from '../protocol/topic.js';
import type { StdinFormat } from '../protocol/types.js';
import { OrchestratorError } from '../util/errors.js';
import { ClientRequests, RequestTimeoutError } from './requests.js';

export type { IncomingMessage, StdinFormat };
export { FrameDecodeError, InvalidTopicError, OrchestratorError, RequestTimeoutError, UnencodableDataError, isValidTopic, validateTopic };

/** Misuse of the client: codes `ALREADY_READING`, `REPLY_WITHOUT_TOPIC`, `BAD_FORMAT`, `WRITE_FAILED`. */
export class ClientError extends OrchestratorError {}

export interface ClientOptions {
  /** Default process.stdin. */
  readonly input?: Readable;
  /** Default process.stdout. */
  readonly output?: Writable;
  /** Default: env ORCHESTRATOR_STDIN, else 'framed'. */
  readonly format?: StdinFormat;
}

export interface Client {
  readonly format: StdinFormat;
  /**
   * Deliveries in arrival order; ends when stdin ends. Single consumer: a second call throws
   * ClientError `ALREADY_READING`. A malformed frame rejects the iteration with FrameDecodeError
   * (it means the format does not match the task's `stdin` setting).
   */
  messages(): AsyncIterable<IncomingMessage>;
  /**
   * Writes `"topic": data` (or a block for multi-line data). Resolves once the bytes are handed to
   * the OS, so awaiting each publish applies stdout backpressure; not awaiting buffers in memory.
   * Rejects with InvalidTopicError / UnencodableDataError (nothing is written then).
   */
  publish(topic: string, data: string): Promise<void>;
  /** Publishes on `<message.topic>.result`, which acknowledges the oldest unacknowledged delivery. */
  reply(message: IncomingMessage, data: string): Promise<void>;
  /**
   * Publishes `data` on `topic` and resolves with the data of its reply, which reaches this pod
   * only when its task sets `receive_replies = true` (and a round_robin task answers on
   * `<topic>.result`). Replies to requests are not yielded by `messages()`. json: any number in
   * flight, matched by id; framed/payload: one at a time, in call order. Rejects with
   * RequestTimeoutError after `timeout` ms (default 5000).
   */
  request(topic: string, data: string, options?: { readonly timeout?: number }): Promise<string>;
  /** `"system.ready": 1`: tells the orchestrator the pod may receive deliveries. */
  ready(): Promise<void>;
  subscribe(pattern: string): Promise<void>;
  unsubscribe(pattern: string): Promise<void>;
}

const FORMATS: readonly StdinFormat[] = ['framed', 'json', 'payload'];

function resolveFormat(explicit: StdinFormat | undefined): StdinFormat {
  const format = explicit ?? process.env.ORCHESTRATOR_STDIN ?? 'framed';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ClientError('BAD_FORMAT', `unknown stdin format ${JSON.stringify(format)}; use framed, json or payload`);
  }
  return format as StdinFormat;
}

/** The broker's rule (`patternProblem`), so a pattern it would refuse is refused here, before writing. */
function checkPattern(pattern: string): void {
  const problem = patternProblem(pattern);
  if (problem !== null) throw new InvalidTopicError(pattern, `not a subscription pattern: ${problem}`);
}

export function createClient(options: ClientOptions = {}): Client {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const format = resolveFormat(options.format);
  let reading = false;

  function write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      output.write(text, (err) => {
        if (err) reject(new ClientError('WRITE_FAILED', `stdout write failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  // One reader for both messages() and request(): replies to requests are taken out, the rest
  // wait here for messages(). Input is paused above HIGH_WATER items, so a slow consumer keeps
  // stdin's backpressure.
  const HIGH_WATER = 1024;
  const requests = new ClientRequests(format);
  const items: (IncomingMessage | FrameDecodeError)[] = [];
  let head = 0;
  let ended = false;
  let wake: (() => void) | null = null;
  let started = false;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const decoder = createFrameDecoder(
    { format },
    {
      message: (m) => {
        if (!requests.take(m)) items.push(m);
      },
      error: (e) => void items.push(e),
    },
  );
  function startReading(): void {
    if (started) return;
    started = true;
    input.on('data', (chunk: Buffer | string) => {
      decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      if (items.length - head > HIGH_WATER) input.pause();
      notify();
    });
    input.once('end', () => {
      decoder.end();
      ended = true;
      notify();
    });
    input.once('error', (error) => {
      items.push(new FrameDecodeError(`stdin failed: ${error.message}`, '', { cause: error }));
      ended = true;
      notify();
    });
  }

  async function* read(): AsyncGenerator<IncomingMessage> {
    startReading();
    for (;;) {
      // Errors stay in order with messages so everything decoded before a bad frame is delivered.
      while (head < items.length) {
        const item = items[head] as IncomingMessage | FrameDecodeError;
        head++;
        if (head === items.length) {
          items.length = 0;
          head = 0;
        }
        if (item instanceof FrameDecodeError) throw item;
        if (input.isPaused() && items.length - head <= HIGH_WATER / 2) input.resume();
        yield item;
      }
      if (ended) return;
      if (input.isPaused()) input.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  const client: Client = {
    format,
    messages() {
      if (reading) throw new ClientError('ALREADY_READING', 'messages() may be iterated only once');
      reading = true;
      return read();
    },
    async publish(topic, data) {
      return write(formatPublish(topic, data));
    },
    async reply(message, data) {
      if (message.topic === '') {
        throw new ClientError('REPLY_WITHOUT_TOPIC', 'the payload stdin format carries no topic; use publish("<topic>.result", data)');
      }
      return write(formatPublish(`${message.topic}.result`, data));
    },
    request(topic, data, options = {}) {
      validateTopic(topic);
      startReading();
      return requests.request(topic, options.timeout ?? 5000, (ref) =>
        write(format === 'json' ? `${JSON.stringify({ topic, data, id: ref })}\n` : formatPublish(topic, data)),
      );
    },
    ready() {
      return write('"system.ready": 1\n');
    },
    async subscribe(pattern) {
      checkPattern(pattern);
      return write(formatPublish('system.subscribe', pattern));
    },
    async unsubscribe(pattern) {
      checkPattern(pattern);
      return write(formatPublish('system.unsubscribe', pattern));
    },
  };
  return client;
}
