import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BatchedWriter, SharedBatches } from './batched-writer.js';

/** A pod's stdin: records each write; completes writes only when `release()` is called (a slow reader). */
class SlowStdin extends Writable {
  readonly writes: Buffer[] = [];
  private pending: Array<() => void> = [];
  drains = 0;

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
    this.on('drain', () => this.drains++);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.writes.push(chunk);
    this.pending.push(done);
  }

  /** The reader consumed everything written so far. */
  release(): void {
    const pending = this.pending;
    this.pending = [];
    for (const done of pending) done();
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const bytes = (n: number, fill: string): string => fill.repeat(n);

describe('BatchedWriter', () => {
  it('writes everything written in one turn as one chunk, in order, after the turn', async () => {
    const stdin = new SlowStdin();
    const writer = new BatchedWriter(stdin, () => {});
    for (const s of ['a\n', 'b\n', 'c\n']) expect(writer.write(s)).toBe(true);
    expect(stdin.writes).toEqual([]);
    await Promise.resolve();
    expect(stdin.writes.map(String)).toEqual(['a\nb\nc\n']);
    expect(writer.pendingBytes).toBe(0);
    stdin.release();
    writer.write('d\n');
    await turn();
    expect(stdin.writes.map(String)).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('reports full once batched + buffered bytes reach the limit, then onDrain once the slow pod read it all', async () => {
    const stdin = new SlowStdin(16 * 1024);
    let drained = 0;
    const writer = new BatchedWriter(stdin, () => drained++, 32 * 1024);
    const results: boolean[] = [];
    for (let i = 0; i < 4; i++) results.push(writer.write(bytes(8 * 1024, String(i))));
    expect(results).toEqual([true, true, true, false]);
    await turn();
    expect(stdin.writes.map((w) => w.length)).toEqual([32 * 1024]);
    expect(stdin.writableNeedDrain).toBe(true);
    expect(drained).toBe(0);
    // Still buffered in the stream: a new small write is reported full at once.
    expect(writer.write(bytes(10, 'x'))).toBe(false);
    await turn();
    expect(drained).toBe(0);
    stdin.release(); // the 32 KiB were read; the 10 bytes are still in the stream
    await turn();
    expect(drained).toBe(0);
    stdin.release();
    await turn();
    expect(stdin.drains).toBe(1);
    expect(drained).toBe(1);
    expect(Buffer.concat(stdin.writes).length).toBe(32 * 1024 + 10);
    expect(writer.write(bytes(10, 'y'))).toBe(true);
  });

  it('never batches less than the stream highWaterMark', async () => {
    const stdin = new SlowStdin(64);
    let drained = 0;
    const writer = new BatchedWriter(stdin, () => drained++, 16);
    expect(writer.write(bytes(40, 'a'))).toBe(true);
    expect(writer.write(bytes(40, 'b'))).toBe(false);
    await turn();
    expect(stdin.writableNeedDrain).toBe(true);
    stdin.release();
    await turn();
    expect(drained).toBe(1);
  });

  it('calls onDrain at the flush when the stream took the batch at once (a pipe with room)', async () => {
    // A socket write that completes synchronously returns true and never emits 'drain'.
    const written: Buffer[] = [];
    const stdin = new Writable({
      write(chunk: Buffer, _enc, done) {
        written.push(chunk);
        done();
      },
    });
    let drained = 0;
    const writer = new BatchedWriter(stdin, () => drained++, stdin.writableHighWaterMark);
    let full = false;
    for (let i = 0; i < 100 && !full; i++) full = !writer.write(bytes(1024, 'z'));
    expect(full).toBe(true);
    expect(drained).toBe(0);
    await Promise.resolve();
    expect(drained).toBe(1);
    expect(written).toHaveLength(1);
    await turn();
    expect(drained).toBe(1); // exactly one onDrain per "full"
  });

  it('does not call onDrain when it never reported full', async () => {
    const stdin = new SlowStdin(16);
    let drained = 0;
    const writer = new BatchedWriter(stdin, () => drained++, 1024);
    expect(writer.write(bytes(100, 'a'))).toBe(true);
    await turn();
    stdin.release();
    await turn();
    expect(stdin.drains).toBe(1);
    expect(drained).toBe(0);
  });

  it('writes the joined text as UTF-8, byte for byte what each chunk encodes to alone', async () => {
    const stdin = new SlowStdin();
    const writer = new BatchedWriter(stdin, () => {});
    // Non-ASCII, a lone surrogate at each end of a chunk's data, framing characters in data.
    const chunks = ['t\n1\nü€😀\n', '\udc00x\n', 'y\ud83d\n', '"t": a\n\n'];
    for (const c of chunks) writer.write(c);
    await turn();
    expect(stdin.writes).toHaveLength(1);
    expect(Buffer.concat(stdin.writes)).toEqual(Buffer.concat(chunks.map((c) => Buffer.from(c, 'utf8'))));
  });

  it('keeps the order and the bytes of a turn that mixes text and Buffers, and of one of Buffers only', async () => {
    const stdin = new SlowStdin();
    const writer = new BatchedWriter(stdin, () => {});
    const mixed = ['a\n', Buffer.from('ü\n'), 'c€\n', Buffer.from('d\n')];
    for (const c of mixed) writer.write(c);
    expect(writer.pendingBytes).toBe(2 + 3 + 3 + 2); // text in code units, Buffers in bytes
    await turn();
    stdin.release();
    for (const c of [Buffer.from('e\n'), Buffer.from('f\n')]) writer.write(c);
    await turn();
    expect(stdin.writes.map(String)).toEqual(['a\nü\nc€\nd\n', 'e\nf\n']);
  });

  it('a single Buffer is handed over as is (no copy)', async () => {
    const stdin = new SlowStdin();
    const writer = new BatchedWriter(stdin, () => {});
    const chunk = Buffer.from('only\n');
    writer.write(chunk);
    await turn();
    expect(stdin.writes[0]).toBe(chunk);
  });

  it('discards what is batched when the stream was destroyed (the pod exited)', async () => {
    const stdin = new SlowStdin();
    stdin.on('error', () => {});
    const writer = new BatchedWriter(stdin, () => {});
    writer.write('lost\n');
    stdin.destroy();
    await turn();
    expect(stdin.writes).toEqual([]);
    expect(writer.pendingBytes).toBe(0);
  });

  it('writers of one turn with the same batch share one joined, encoded chunk (a fan-out)', async () => {
    const shared = new SharedBatches();
    const streams = [new SlowStdin(), new SlowStdin(), new SlowStdin()];
    const writers = streams.map((s) => new BatchedWriter(s, () => {}, undefined, shared));
    const texts = ['a\n', 'b€\n', 'c\n'];
    for (const t of texts) for (const w of writers) w.write(t);
    await Promise.resolve();
    const [first, second, third] = streams.map((s) => s.writes[0] as Buffer);
    expect(streams.map((s) => s.writes.map(String))).toEqual([['a\nb€\nc\n'], ['a\nb€\nc\n'], ['a\nb€\nc\n']]);
    expect(second).toBe(third); // encoded once for the second and every later pod
    expect(first).not.toBe(second);
    // Another turn, other chunks: nothing is remembered across turns.
    for (const s of streams) s.release();
    writers[0]!.write('a\n');
    writers[0]!.write('z\n');
    writers[1]!.write(texts[0]!);
    writers[1]!.write('z\n');
    await turn();
    expect(streams.map((s) => s.writes.slice(1).map(String))).toEqual([['a\nz\n'], ['a\nz\n'], []]);
  });
});
