/** Test support (not built): a pod endpoint for the dispatcher that records what it is sent. */
import type { PodEndpoint } from '../bus/bus.js';

/** A pod's stdin that records every chunk; `full` makes write() report backpressure. */
export class FakePod implements PodEndpoint {
  readonly chunks: string[] = [];
  full = false;
  /** Called after each write with the chunk (e.g. to reply synchronously). */
  onWrite: ((chunk: string) => void) | null = null;

  constructor(
    readonly name: string,
    readonly task: string,
  ) {}

  write(chunk: string | Buffer): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.chunks.push(text);
    this.onWrite?.(text);
    return !this.full;
  }

  /** Topics of framed deliveries, in order. */
  topics(): string[] {
    return this.chunks.map((c) => c.slice(0, c.indexOf('\n')));
  }

  /** Data of framed single-line deliveries, in order. */
  data(): string[] {
    return this.chunks.map((c) => c.split('\n')[2] ?? '');
  }
}
