import type { Bus, BusEvent, Requester } from '../../bus/bus.js';
import { createLineSplitter, type Message } from '../../protocol/index.js';
import type { Logger } from '../../util/logger.js';
import { OrderedOutput } from './ordered-output.js';

export interface PipelineOptions {
  /** Each stdin line is published here. */
  readonly stdinTopic: string;
  /** The data of each result is written to stdout, one per line. */
  readonly stdoutTopic: string;
  /** Results in input order (needs stdoutTopic = `<stdinTopic>.result`). */
  readonly keepOrder: boolean;
  /** Longest stdin line (bytes); a longer one is skipped with an error (and counts as failed). */
  readonly maxLineBytes: number;
}

/** The parts of the world a pipeline touches; `run` passes the process's own. */
export interface PipelineDeps {
  readonly bus: Pick<Bus, 'requester' | 'tap' | 'onEvent'>;
  readonly input: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown; destroy?(): unknown };
  /** stdout: results only. `write` returning false pauses reading until 'drain'. */
  readonly output: { write(chunk: string): boolean; once(event: 'drain', listener: () => void): unknown };
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface PipelineResult {
  /** Lines read and published. */
  readonly read: number;
  /** Results written. */
  readonly written: number;
  /** Lines whose message was dead-lettered or dropped (each named in the log). */
  readonly failed: number;
  /** Reading was stopped early (Ctrl-C) rather than by end of input. */
  readonly interrupted: boolean;
}

/** What ends a line without a result: the bus events that settle a message for good. */
const FAILURES = new Set<BusEvent['type']>(['dead-lettered', 'undeliverable', 'dropped', 'rejected']);
const OUTPUT_BATCH = 64 * 1024;

/**
 * Pipeline mode (`run --stdin-topic T --stdout-topic R`): the orchestrator's stdin lines become
 * messages on T, numbered from 1 as they are read, and the results on R go to stdout.
 *
 * - Reading pauses while a "block" queue refuses the next line (the requester publisher holds at
 *   most one read chunk) and while stdout does not keep up, so memory stays bounded for any input.
 * - R = `<T>.result`: each line is a request, so its result comes back to this requester by reply
 *   correlation (in input order with keepOrder). Another R is tapped: results in completion
 *   order, one per line expected.
 * - `finished` resolves once input ended (or `interrupt` stopped reading; a partial last line is
 *   then not read) and every line read has its result or failed.
 */
export class Pipeline {
  readonly finished: Promise<PipelineResult>;
  private resolveFinished!: (result: PipelineResult) => void;
  private read = 0;
  private written = 0;
  private failed = 0;
  private tapped = 0;
  private ended = false;
  private interrupted = false;
  private pausedByBus = false;
  private pausedByOutput = false;
  private batch = '';
  private flushScheduled = false;
  private readonly order: OrderedOutput;
  private readonly requester: Requester;
  private readonly cleanups: (() => void)[] = [];
  private readonly correlated: boolean;

  constructor(
    private readonly options: PipelineOptions,
    private readonly deps: PipelineDeps,
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.correlated = options.stdoutTopic === `${options.stdinTopic}.result`;
    this.order = new OrderedOutput(options.keepOrder, (data) => this.emit(data));
    this.requester = deps.bus.requester(
      {
        pause: () => {
          this.pausedByBus = true;
          deps.input.pause();
        },
        resume: () => {
          this.pausedByBus = false;
          this.resumeInput();
        },
      },
      (reply) => this.onReply(reply),
    );
    if (!this.correlated) this.cleanups.push(deps.bus.tap([options.stdoutTopic], (m) => this.onTapped(m)));
    this.cleanups.push(deps.bus.onEvent((event) => this.onEvent(event)));
  }

  /** Starts reading stdin (after the pods were started). */
  start(): void {
    const splitter = createLineSplitter(
      { maxLineBytes: this.options.maxLineBytes, stripCr: false },
      (line) => this.onLine(line),
      (bytes) => {
        this.read++;
        this.fail(this.read, `line ${this.read} of ${bytes} bytes exceeds max_message_size (${this.options.maxLineBytes}); skipped`);
      },
    );
    const input = this.deps.input;
    input.on('data', (chunk: Buffer | string) => {
      if (!this.interrupted) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    });
    input.once('end', () => {
      if (this.interrupted) return;
      splitter.end();
      this.ended = true;
      this.check();
    });
    input.resume();
  }

  /** Stops reading (Ctrl-C): what was read is still finished; a partial last line is dropped. */
  interrupt(): void {
    if (this.interrupted || this.ended) return;
    this.interrupted = true;
    this.deps.input.pause();
    this.deps.input.destroy?.();
    this.deps.logger.info(`stopped reading stdin after ${this.read} lines; finishing those (Ctrl-C again to stop at once)`);
    this.check();
  }

  /** Lines read and not settled yet. */
  get outstanding(): number {
    return this.read - (this.correlated ? this.order.settled : this.tapped + this.failed);
  }

  /** Closes the requester's inbox and listeners (the run is ending). */
  close(): void {
    this.requester.close();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.flush();
  }

  private onLine(line: string): void {
    if (this.interrupted) return;
    this.read++;
    this.requester.publish(this.options.stdinTopic, line, null, String(this.read));
  }

  private onReply(reply: Message): void {
    if (!this.correlated) return;
    const seq = Number(reply.inReplyTo);
    if (Number.isInteger(seq)) this.order.settle(seq, reply.data);
    this.check();
  }

  private onTapped(message: Message): void {
    this.tapped++;
    this.emit(message.data);
    this.check();
  }

  private onEvent(event: BusEvent): void {
    if (!FAILURES.has(event.type) || !('message' in event)) return;
    const message = event.message;
    if (message.replyTo?.inbox !== this.requester.inbox) return;
    const seq = Number(message.replyTo.ref);
    const why = event.type === 'dropped' ? `dropped (${event.reason})` : event.type === 'rejected' ? 'rejected (queue full)' : `dead-lettered to "${message.topic}.dead"`;
    this.fail(seq, `line ${seq} ${why}: ${JSON.stringify(message.data.length > 200 ? `${message.data.slice(0, 200)}…` : message.data)}`);
  }

  private fail(seq: number, text: string): void {
    this.failed++;
    this.deps.logger.error(text);
    if (this.correlated) this.order.settle(seq, null);
    this.check();
  }

  private emit(data: string): void {
    this.written++;
    this.batch += `${data}\n`;
    if (this.batch.length >= OUTPUT_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch === '') return;
    const text = this.batch;
    this.batch = '';
    if (this.deps.output.write(text) || this.pausedByOutput) return;
    this.pausedByOutput = true;
    this.deps.input.pause();
    this.deps.output.once('drain', () => {
      this.pausedByOutput = false;
      this.resumeInput();
    });
  }

  private resumeInput(): void {
    if (!this.pausedByBus && !this.pausedByOutput && !this.interrupted && !this.ended) this.deps.input.resume();
  }

  private check(): void {
    if ((!this.ended && !this.interrupted) || this.outstanding > 0 || this.requester.pending > 0) return;
    this.flush();
    this.resolveFinished({ read: this.read, written: this.written, failed: this.failed, interrupted: this.interrupted });
  }
}
