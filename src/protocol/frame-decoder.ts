import { FrameDecodeError } from './errors.js';
import { createLineSplitter, type ChunkSink } from './line-splitter.js';
import type { StdinFormat } from './types.js';

/** A message as a pod sees it on stdin. `id`/`attempt` exist only in the json format. */
export interface IncomingMessage {
  /** "" in the payload format, which carries data only. */
  readonly topic: string;
  readonly data: string;
  readonly id?: string;
  readonly attempt?: number;
  /** json only: on a reply delivered to its requester (`receive_replies`), the request it answers. */
  readonly inReplyTo?: string;
}

export interface FrameDecoderOptions {
  readonly format: StdinFormat;
  /** Bytes; a longer stdin line is an error. Default 256 MiB. */
  readonly maxLineBytes?: number;
}

export interface FrameDecoderSink {
  message(message: IncomingMessage): void;
  /** The decoder resynchronises after an error (framed: the next line is read as a topic). */
  error(error: FrameDecodeError): void;
}

const COUNT = /^(0|[1-9][0-9]*)$/;

/**
 * Decodes what the orchestrator writes to a pod's stdin (the inverse of `frameEncoder`). Pure: the
 * caller feeds bytes. "\r" is kept, since the orchestrator writes data lines verbatim.
 */
export function createFrameDecoder(options: FrameDecoderOptions, sink: FrameDecoderSink): ChunkSink {
  let onLine: (line: string) => void;

  if (options.format === 'payload') {
    onLine = (line) => sink.message({ topic: '', data: line });
  } else if (options.format === 'json') {
    onLine = (line) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (cause) {
        sink.error(new FrameDecodeError('stdin line is not JSON', line, { cause }));
        return;
      }
      const v = value as Record<string, unknown> | null;
      if (typeof v !== 'object' || v === null || typeof v.topic !== 'string' || typeof v.data !== 'string') {
        sink.error(new FrameDecodeError('stdin JSON line lacks string "topic" and "data"', line));
        return;
      }
      const message: { topic: string; data: string; id?: string; attempt?: number; inReplyTo?: string } = { topic: v.topic, data: v.data };
      if (typeof v.id === 'string') message.id = v.id;
      if (typeof v.attempt === 'number') message.attempt = v.attempt;
      if (typeof v['in_reply_to'] === 'string') message.inReplyTo = v['in_reply_to'];
      sink.message(message);
    };
  } else {
    let topic: string | null = null;
    let remaining = -1;
    let lines: string[] = [];
    onLine = (line) => {
      if (topic === null) {
        topic = line;
        return;
      }
      if (remaining === -1) {
        if (!COUNT.test(line)) {
          topic = null;
          sink.error(new FrameDecodeError('framed stdin: expected a line count', line));
          return;
        }
        remaining = Number(line);
      } else {
        lines.push(line);
        remaining--;
      }
      if (remaining === 0) {
        const message = { topic, data: lines.join('\n') };
        topic = null;
        remaining = -1;
        lines = [];
        sink.message(message);
      }
    };
  }

  return createLineSplitter(
    { maxLineBytes: options.maxLineBytes ?? 256 * 1024 * 1024, stripCr: false },
    (line) => onLine(line),
    (bytes) => sink.error(new FrameDecodeError(`stdin line of ${bytes} bytes exceeds maxLineBytes`, '')),
  );
}
