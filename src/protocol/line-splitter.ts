/** A byte sink fed with chunks as they arrive; `end()` flushes a final unterminated line. */
export interface ChunkSink {
  /** The chunk must not be mutated afterwards (stream chunks never are): tails are kept by reference. */
  push(chunk: Buffer): void;
  end(): void;
}

export interface LineSplitterOptions {
  /** A line longer than this many bytes (after "\r" stripping) is reported via onOversize. */
  readonly maxLineBytes: number;
  /** Strip one trailing "\r" from every line (CRLF input). Default true. */
  readonly stripCr?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream on "\n" and decodes each line as UTF-8 (invalid sequences become U+FFFD).
 * Memory stays bounded: once a pending line exceeds the limit its bytes are counted, not kept, and
 * onOversize receives the line's length in bytes (without the "\n") when it finally ends, and its
 * first HEAD_BYTES bytes, so a caller can still say what the line was (e.g. its topic).
 * `onLine` also receives the line's byte length so callers can enforce size limits without
 * re-encoding.
 */
/** How much of an oversize line is kept to describe it. */
export const HEAD_BYTES = 256;

export function createLineSplitter(
  options: LineSplitterOptions,
  onLine: (line: string, bytes: number) => void,
  onOversize: (bytes: number, head: string) => void,
): ChunkSink {
  const max = options.maxLineBytes;
  const stripCr = options.stripCr ?? true;
  // One byte of slack so a line of exactly `max` bytes followed by "\r\n" is not discarded early.
  const holdLimit = stripCr ? max + 1 : max;
  let parts: Buffer[] = [];
  let pending = 0;
  let discarding = false;
  let discarded = 0;
  let head = '';

  function emit(buf: Buffer, start: number, end: number): void {
    if (stripCr && end > start && buf[end - 1] === CR) end--;
    const bytes = end - start;
    if (bytes > max) onOversize(bytes, buf.toString('utf8', start, Math.min(end, start + HEAD_BYTES)));
    else onLine(buf.toString('utf8', start, end), bytes);
  }

  function hold(chunk: Buffer, start: number): void {
    const rest = chunk.length - start;
    if (discarding) {
      discarded += rest;
    } else if (pending + rest > holdLimit) {
      parts.push(chunk.subarray(start, start + HEAD_BYTES));
      head = Buffer.concat(parts).toString('utf8', 0, HEAD_BYTES);
      discarding = true;
      discarded = pending + rest;
      parts = [];
      pending = 0;
    } else {
      // Copy a small tail so it does not pin a large chunk in memory.
      const tail = chunk.subarray(start);
      parts.push(rest * 2 < chunk.length ? Buffer.from(tail) : tail);
      pending += rest;
    }
  }

  function flushPending(last: Buffer): void {
    parts.push(last);
    const line = Buffer.concat(parts, pending + last.length);
    parts = [];
    pending = 0;
    emit(line, 0, line.length);
  }

  /**
   * The lines of `chunk` from `start` up to its last "\n", decoded with one call instead of one
   * per line. Only when that decodes byte for byte (ASCII, or invalid bytes each becoming one
   * U+FFFD): then a line's length is its byte count and its text what a per-line decode gives.
   * Returns where it stopped: `start` when it did nothing.
   */
  function wholeLines(chunk: Buffer, start: number): number {
    const last = chunk.lastIndexOf(LF);
    if (last <= start) return start;
    const text = chunk.toString('utf8', start, last);
    if (text.length !== last - start) return start;
    let from = 0;
    const n = text.length;
    while (from <= n) {
      let nl = text.indexOf('\n', from);
      if (nl === -1) nl = n;
      let end = nl;
      if (stripCr && end > from && text.charCodeAt(end - 1) === CR) end--;
      const bytes = end - from;
      if (bytes > max) onOversize(bytes, text.slice(from, from + HEAD_BYTES));
      else onLine(text.slice(from, end), bytes);
      from = nl + 1;
    }
    return last + 1;
  }

  return {
    push(chunk) {
      const len = chunk.length;
      let start = 0;
      // Once per chunk (a retry after a non-ASCII miss would decode the rest again per line).
      let tried = false;
      while (start < len) {
        // Nothing held from an earlier chunk: take every complete line of the rest at once.
        if (!tried && pending === 0 && !discarding) {
          tried = true;
          start = wholeLines(chunk, start);
          if (start >= len) return;
        }
        const nl = chunk.indexOf(LF, start);
        if (nl === -1) {
          hold(chunk, start);
          return;
        }
        if (discarding) {
          const total = discarded + (nl - start);
          discarding = false;
          discarded = 0;
          onOversize(total, head);
        } else if (pending === 0) {
          emit(chunk, start, nl);
        } else {
          flushPending(chunk.subarray(start, nl));
        }
        start = nl + 1;
      }
    },
    end() {
      if (discarding) {
        const total = discarded;
        discarding = false;
        discarded = 0;
        onOversize(total, head);
      } else if (pending > 0) {
        flushPending(Buffer.alloc(0));
      }
    },
  };
}
