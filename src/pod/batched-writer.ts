import type { Writable } from 'node:stream';

/** The part of a pod's stdin stream the writer uses (a real `Writable` in production). */
export type BatchTarget = Pick<Writable, 'write' | 'writableLength' | 'writableHighWaterMark' | 'destroyed' | 'on'>;

/**
 * Bytes a pod may have pending (batched + buffered in its stdin stream) before `write` reports
 * "full". 64 KiB is the default Linux pipe capacity: a batch that size fills the pipe in one
 * syscall, and the consumer reads it in one go.
 */
export const DEFAULT_BATCH_LIMIT = 64 * 1024;

/**
 * Coalesces the writes to one pod's stdin made during one turn of the event loop into a single
 * `stream.write` (one syscall), flushed on a microtask: after the current callback (a stdout chunk
 * with hundreds of messages, a drain, a timer) and before any I/O, so it adds no latency.
 *
 * Chunks are text (written as UTF-8) or bytes. A turn of text only is joined into one string that
 * the stream encodes in one go (no Buffer per chunk); a turn of Buffers only is concatenated; a
 * mixed turn encodes its text chunks and concatenates. Every chunk the dispatcher writes ends with
 * "\n", so joining texts cannot pair surrogates: the bytes are those of each chunk encoded alone.
 * Sizes count a text chunk's UTF-16 code units (its bytes for ASCII, at most 3 bytes per unit
 * otherwise; the stream's own `writableLength` counts strings the same way).
 *
 * Backpressure: `write` returns false ("full": write nothing more) once batched + already-buffered
 * sizes reach `limit` (at least the stream's highWaterMark). Every "full" is followed by exactly
 * one `onDrain()`: at the flush when the stream took the batch at once (a socket/pipe write that
 * completes synchronously returns true and emits no 'drain'), else at the stream's 'drain'.
 *
 * Order is kept: chunks are written in `write` order. Chunks must not be mutated afterwards.
 * After the stream is destroyed (the pod exited) batched chunks are discarded, like a failed
 * write, and `onDrain` is not called again.
 */
export class BatchedWriter {
  private chunks: (string | Buffer)[] = [];
  private size = 0;
  /** How many of `chunks` are Buffers. */
  private buffers = 0;
  private scheduled = false;
  /** The last `write` returned false and `onDrain` has not been called since. */
  private full = false;
  private readonly limit: number;

  constructor(
    private readonly stream: BatchTarget,
    private readonly onDrain: () => void,
    limit = DEFAULT_BATCH_LIMIT,
    /** Shared by the writers of a run, so a turn that writes the same chunks to many pods joins and encodes them once. */
    private readonly shared: SharedBatches = sharedBatches,
  ) {
    this.limit = Math.max(limit, stream.writableHighWaterMark);
    stream.on('drain', () => this.drained());
  }

  /** Size of what is batched and not yet handed to the stream (bytes, or code units of text). */
  get pendingBytes(): number {
    return this.size;
  }

  /** Batches `chunk`; false means "full": write nothing more until the stream's 'drain'. */
  write(chunk: string | Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (typeof chunk !== 'string') this.buffers++;
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flush);
    }
    if (this.stream.writableLength + this.size < this.limit) return true;
    this.full = true;
    return false;
  }

  /** Hands everything batched to the stream as one chunk. Runs by itself; safe to call early. */
  readonly flush = (): void => {
    this.scheduled = false;
    const { chunks, buffers } = this;
    if (chunks.length === 0) return;
    this.chunks = [];
    this.size = 0;
    this.buffers = 0;
    if (this.stream.destroyed) return;
    const taken = this.stream.write(this.shared.join(chunks, buffers), 'utf8');
    if (taken) this.drained(); // else the stream emits 'drain' once the pod has read it all
  };

  private drained(): void {
    if (!this.full) return;
    this.full = false;
    this.onDrain();
  }
}

/**
 * Joins batches, remembering the last one of the turn: a fan-out writes the same texts, in the
 * same order, to every pod, so the next writer's batch holds the same chunks (compared by
 * identity, which the join costs anyway) and gets the same result: joined once, encoded once into
 * a Buffer on its second use, then only copied into each pipe. Pure apart from that memo, which is
 * dropped at the end of the turn so it pins nothing. Chunks are never mutated (strings cannot be;
 * Buffers are not after encoding), so a remembered result is always right.
 */
export class SharedBatches {
  private last: readonly (string | Buffer)[] | null = null;
  private result: string | Buffer = '';
  private clearing = false;

  join(chunks: readonly (string | Buffer)[], buffers: number): string | Buffer {
    if (chunks.length === 1) return chunks[0] as string | Buffer;
    const last = this.last;
    if (last !== null && sameChunks(last, chunks)) {
      if (typeof this.result === 'string') this.result = Buffer.from(this.result, 'utf8');
      return this.result;
    }
    this.last = chunks;
    this.result = joined(chunks, buffers);
    if (!this.clearing) {
      this.clearing = true;
      queueMicrotask(this.clear);
    }
    return this.result;
  }

  /** Runs after the flushes queued in the same turn (microtasks run in order). */
  private readonly clear = (): void => {
    this.clearing = false;
    this.last = null;
    this.result = '';
  };
}

function sameChunks(a: readonly (string | Buffer)[], b: readonly (string | Buffer)[]): boolean {
  const n = a.length;
  if (n !== b.length || a[n - 1] !== b[n - 1]) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The writers' default: one per process (see SharedBatches). */
const sharedBatches = new SharedBatches();

/** One chunk of the batch: the texts joined or the bytes concatenated. */
function joined(chunks: readonly (string | Buffer)[], buffers: number): string | Buffer {
  if (buffers === 0) return chunks.join('');
  if (buffers === chunks.length) return Buffer.concat(chunks as Buffer[]);
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}
