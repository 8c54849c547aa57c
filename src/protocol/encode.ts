import { UnencodableDataError } from './errors.js';
import { validateTopic } from './topic.js';
import type { Message, StdinFormat } from './types.js';

export type { StdinFormat };

/** Number of lines in `data` as the framed format counts them: "" has none, "a\nb" has two. */
export function countDataLines(data: string): number {
  if (data.length === 0) return 0;
  let count = 1;
  let i = data.indexOf('\n');
  while (i !== -1) {
    count++;
    i = data.indexOf('\n', i + 1);
  }
  return count;
}

/**
 * Why `data` cannot be one `stdin = "payload"` delivery, or null when it can. That format writes
 * one line per message, so a reply-per-line worker would answer a multi-line message more than
 * once; "\r" counts as a break too (Python's text-mode stdin splits on it).
 */
export function payloadProblem(data: string): string | null {
  const lf = data.indexOf('\n');
  if (lf === -1 && data.indexOf('\r') === -1) return null;
  const what = lf === -1 ? 'data contains "\\r", a line break to many line readers' : `data has ${countDataLines(data)} lines`;
  return `${what}; stdin = "payload" carries one line per message: use stdin = "json" or "framed"`;
}

/**
 * Encoders return the text of a delivery; its bytes on the wire are that text as UTF-8. Every
 * delivery ends with "\n", so writing many joined (one string per flush) gives exactly the bytes of
 * writing each encoded on its own: a surrogate can never pair with one of the next delivery.
 */
export interface FrameEncoder {
  /** False for framed and payload: encode once, write the same text to every pod and attempt. */
  readonly dependsOnAttempt: boolean;
  encode(message: Pick<Message, 'id' | 'topic' | 'data' | 'inReplyTo'>, attempt: number): string;
}

/** The framed text of one message (`topic`, its line count, the data lines): no id, no attempt. */
export function framedText(topic: string, data: string): string {
  const n = countDataLines(data);
  return n === 0 ? `${topic}\n0\n` : `${topic}\n${n}\n${data}\n`;
}

/** The `stdin = "payload"` text of one message: its data and "\n" (see `payload` below). */
export function payloadText(data: string): string {
  return `${data}\n`;
}

const framed: FrameEncoder = {
  dependsOnAttempt: false,
  encode(m) {
    return framedText(m.topic, m.data);
  },
};

/**
 * Empty data is written as one empty line: writing nothing would leave a line-reading worker
 * unaware of the message, so it would never reply and stay busy forever.
 */
const payload: FrameEncoder = {
  dependsOnAttempt: false,
  encode(m) {
    return payloadText(m.data);
  },
};

const json: FrameEncoder = {
  dependsOnAttempt: true,
  encode(m, attempt) {
    const line =
      m.inReplyTo === undefined
        ? JSON.stringify({ topic: m.topic, data: m.data, id: m.id, attempt })
        : JSON.stringify({ topic: m.topic, data: m.data, id: m.id, attempt, in_reply_to: m.inReplyTo });
    return `${line}\n`;
  },
};

const encoders: Readonly<Record<StdinFormat, FrameEncoder>> = { framed, payload, json };

export function frameEncoder(format: StdinFormat): FrameEncoder {
  return encoders[format];
}

/** The text written (as UTF-8) to a pod's stdin for one delivery. `attempt` starts at 1. */
export function encodeDelivery(
  format: StdinFormat,
  message: Pick<Message, 'id' | 'topic' | 'data' | 'inReplyTo'>,
  attempt: number,
): string {
  return encoders[format].encode(message, attempt);
}

/**
 * The answer to `"system.latest": T`: the retained latest message of T, or `null` when there is
 * none, written so that "none" never reads like an empty message. framed: the message's frame, or
 * `T\n-1\n` (a line count of -1, nothing follows); json: the message's object, or
 * `{"topic":T,"data":null}`; payload (which has no topic line): one line, the data as a JSON
 * string (so any data fits on it), or `null`.
 */
export function encodeLatest(format: StdinFormat, topic: string, message: Pick<Message, 'id' | 'topic' | 'data'> | null): string {
  if (message !== null) return format === 'payload' ? `${JSON.stringify(message.data)}\n` : encoders[format].encode(message, 1);
  switch (format) {
    case 'framed':
      return `${topic}\n-1\n`;
    case 'json':
      return `${JSON.stringify({ topic, data: null })}\n`;
    case 'payload':
      return 'null\n';
  }
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}

export function quoteTopic(topic: string): string {
  return `"${topic.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * The stdout text a pod writes to publish (docs/protocol.md): `"topic": data\n` when `data` is one
 * line without leading/trailing blanks (which the parser would trim), else a block. Throws
 * InvalidTopicError for an unpublishable topic and UnencodableDataError when the parser could not
 * return `data` exactly: a data line equal to the end marker, or ending in "\r" (stripped as CRLF).
 * `data` must be well-formed UTF-16 (lone surrogates become U+FFFD on the wire).
 */
export function formatPublish(topic: string, data: string): string {
  validateTopic(topic);
  const quoted = quoteTopic(topic);
  const n = data.length;
  const singleLine =
    data.indexOf('\n') === -1 &&
    (n === 0 || (!isBlank(data.charCodeAt(0)) && !isBlank(data.charCodeAt(n - 1))));
  if (singleLine) return `${quoted}: ${data}\n`;

  const endLine = `::${quoted}`;
  for (const line of data.split('\n')) {
    if (line === endLine) throw new UnencodableDataError(topic, `a data line equals the end marker ${endLine}`);
    if (line.endsWith('\r')) throw new UnencodableDataError(topic, 'a data line ends with "\\r"');
  }
  return `${quoted}::\n${data}\n${endLine}\n`;
}
