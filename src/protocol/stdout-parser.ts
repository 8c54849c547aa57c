import { parseJsonLine } from './json-line.js';
import { createLineSplitter, type ChunkSink } from './line-splitter.js';
import { topicProblem } from './topic.js';
import type { StdoutEvent } from './types.js';

export interface StdoutParserOptions {
  /** Bytes. A longer line, or a block whose joined data is longer, becomes one `oversize` event. */
  readonly maxMessageSize: number;
  /**
   * Also read one-line JSON messages (`{"topic":…,"data":…,"in_reply_to":…}`, see json-line.ts).
   * On for pods with `stdin = "json"` only: other pods' JSON lines stay log lines. Default false.
   */
  readonly jsonMessages?: boolean;
}

const QUOTE = 0x22;
const BRACE = 0x7b;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

/** Receives a plain message (a `"topic": value` line or a block) as two arguments: no event object. */
export type MessageSink = (topic: string, data: string) => void;

interface OpenBlock {
  readonly topic: string;
  /** `::"topic"` with the topic spelled exactly as in the opening line. */
  readonly endLine: string;
  lines: string[];
  /** Byte length of the data joined with "\n" so far. */
  bytes: number;
  count: number;
  oversize: boolean;
}

/**
 * Parses a pod's stdout into events (docs/protocol.md): `"topic": value` lines, `"topic"::` …
 * `::"topic"` blocks, JSON message lines when `jsonMessages` is on, and log lines for everything
 * else. Pure: knows nothing about processes.
 * Memory is bounded by about twice maxMessageSize (one pending line plus one block's data).
 *
 * `onMessage`, when given, takes the plain messages instead of `sink` (the same order, interleaved
 * with the other events as they occur): the bus's hot path, where an event object per message was
 * a measurable share of the garbage. JSON message lines always come as events (they carry ids).
 */
export function createStdoutParser(
  options: StdoutParserOptions,
  sink: (event: StdoutEvent) => void,
  onMessage: MessageSink = (topic, data) => sink({ type: 'message', topic, data }),
): ChunkSink {
  const max = options.maxMessageSize;
  const jsonMessages = options.jsonMessages === true;
  let block: OpenBlock | null = null;
  /** The topic of the last one-line message, when it is publishable and has no escapes; "" when none. */
  let lastTopic = '';

  function closeBlock(b: OpenBlock): void {
    block = null;
    if (b.oversize) sink({ type: 'oversize', bytes: b.bytes, topic: b.topic });
    else onMessage(b.topic, b.lines.join('\n'));
  }

  function blockLine(b: OpenBlock, line: string, bytes: number): void {
    if (line === b.endLine) {
      closeBlock(b);
      return;
    }
    b.bytes += b.count === 0 ? bytes : bytes + 1;
    b.count++;
    if (b.oversize) return;
    if (b.bytes > max) {
      b.oversize = true;
      b.lines = [];
    } else {
      b.lines.push(line);
    }
  }

  function quotedLine(line: string): void {
    const n = line.length;
    // A run of lines on one topic: the previous message's topic (valid, without escapes, so the
    // scan below would stop at the same quote) is reused: no slice, no check.
    const known = lastTopic.length;
    if (known > 0 && line.charCodeAt(known + 1) === QUOTE && line.startsWith(lastTopic, 1)) {
      afterTopic(line, known + 1, lastTopic, true);
      return;
    }
    let i = 1;
    let escaped = false;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else {
        i++;
      }
    }
    if (i >= n) {
      sink({ type: 'log', line });
      return;
    }
    const raw = line.slice(1, i);
    afterTopic(line, i, escaped ? raw.replace(/\\([\s\S])/g, '$1') : raw, !escaped && topicProblem(raw) === null);
  }

  /** The rest of a quoted line whose topic ends at `i` (its closing quote); `valid`: known publishable and unescaped. */
  function afterTopic(line: string, i: number, topic: string, valid: boolean): void {
    const n = line.length;

    if (i + 3 === n && line.charCodeAt(i + 1) === COLON && line.charCodeAt(i + 2) === COLON) {
      const problem = valid ? null : topicProblem(topic);
      if (problem !== null) {
        sink({ type: 'invalid', line, topic, reason: problem });
        return;
      }
      block = { topic, endLine: '::' + line.slice(0, i + 1), lines: [], bytes: 0, count: 0, oversize: false };
      return;
    }

    let j = i + 1;
    let c = line.charCodeAt(j);
    while (c === SPACE || c === TAB) c = line.charCodeAt(++j);
    if (c !== COLON) {
      sink({ type: 'log', line });
      return;
    }
    let start = j + 1;
    let end = n;
    c = line.charCodeAt(start);
    while (c === SPACE || c === TAB) c = line.charCodeAt(++start);
    c = line.charCodeAt(end - 1);
    while (end > start && (c === SPACE || c === TAB)) c = line.charCodeAt(--end - 1);

    const problem = valid ? null : topicProblem(topic);
    if (problem !== null) {
      sink({ type: 'invalid', line, topic, reason: problem });
      return;
    }
    if (valid) lastTopic = topic;
    onMessage(topic, line.slice(start, end));
  }

  function onLine(line: string, bytes: number): void {
    if (block !== null) blockLine(block, line, bytes);
    else if (line.charCodeAt(0) === QUOTE) quotedLine(line);
    else if (jsonMessages && line.charCodeAt(0) === BRACE) sink(parseJsonLine(line) ?? { type: 'log', line });
    else sink({ type: 'log', line });
  }

  function onOversize(bytes: number, head: string): void {
    if (block === null) {
      sink({ type: 'oversize', bytes, topic: topicOfHead(head) });
      return;
    }
    // An over-long line inside a block can never be its end line (that is as short as the opener).
    block.bytes += block.count === 0 ? bytes : bytes + 1;
    block.count++;
    block.oversize = true;
    block.lines = [];
  }

  const splitter = createLineSplitter({ maxLineBytes: max }, onLine, onOversize);
  return {
    push(chunk) {
      splitter.push(chunk);
    },
    end() {
      splitter.end();
      if (block !== null) closeBlock(block);
    },
  };
}

const HEAD_TOPIC = /^"((?:[^"\\]|\\.)*)"[ \t]*:/;

/** The topic of a one-line message from the start of its line, or null for a plain log line. */
function topicOfHead(head: string): string | null {
  const match = HEAD_TOPIC.exec(head);
  return match === null ? null : match[1]!.replace(/\\(.)/g, '$1');
}
