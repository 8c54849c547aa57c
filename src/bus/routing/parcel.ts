import type { StdinFormat } from '../../config/types.js';
import { encodeDelivery, encodeLatest, payloadProblem } from '../../protocol/encode.js';
import type { Message } from '../../protocol/types.js';
import type { Delivery } from '../transport.js';

/**
 * One published message plus its stdin encodings, shared by every task and pod it fans out to.
 * `framed` and `payload` do not depend on the attempt, so each is encoded at most once per message;
 * `json` carries the attempt, so it is encoded once per attempt.
 *
 * What a pod is given (`chunk`): the first time, the delivery's text, which the pod's writer joins
 * with the turn's other texts into one string for the stream to encode (no Buffer per delivery);
 * from the second time on (fan-out to several tasks, broadcast to several pods, a redelivery),
 * one Buffer encoded once and shared: each writer then copies bytes instead of encoding the same
 * text again per pod. Buffers are never mutated after encoding.
 */
export class Parcel {
  private framed: string | Buffer | undefined;
  private payload: string | Buffer | undefined;
  private json: string | Buffer | undefined;
  private jsonAttempt = 0;
  private lineProblem: string | null | undefined;

  constructor(readonly message: Message) {}

  /** Why the message cannot be one `stdin = "payload"` line (see `payloadProblem`); computed once. */
  payloadProblem(): string | null {
    if (this.lineProblem === undefined) this.lineProblem = payloadProblem(this.message.data);
    return this.lineProblem;
  }

  /** The delivery's text in `format` (its bytes are that text as UTF-8, see FrameEncoder). */
  text(format: StdinFormat, attempt: number): string {
    return encodeDelivery(format, this.message, attempt);
  }

  /** What to write to one pod: the text on the first call per format, then one shared Buffer of it. */
  chunk(format: StdinFormat, attempt: number): string | Buffer {
    switch (format) {
      case 'framed':
        return (this.framed = again(this.framed) ?? this.text('framed', attempt));
      case 'payload':
        return (this.payload = again(this.payload) ?? this.text('payload', attempt));
      case 'json':
        if (this.jsonAttempt === attempt) return (this.json = again(this.json) as Buffer);
        this.jsonAttempt = attempt;
        return (this.json = this.text('json', attempt));
    }
  }
}

/** A cached encoding asked for again: its Buffer (made from the text the first time). */
function again(cached: string | Buffer | undefined): Buffer | undefined {
  return cached === undefined ? undefined : typeof cached === 'string' ? Buffer.from(cached, 'utf8') : cached;
}

/**
 * The answer to one pod's `"system.latest": T` (see encodeLatest): the retained message, or "none"
 * (`message` is then a placeholder on T with empty data, for events only).
 */
export class LatestAnswer extends Parcel {
  constructor(
    message: Message,
    private readonly found: boolean,
  ) {
    super(message);
  }

  override text(format: StdinFormat): string {
    return encodeLatest(format, this.message.topic, this.found ? this.message : null);
  }

  override chunk(format: StdinFormat): string {
    return this.text(format);
  }
}

/** A fresh delivery of `parcel` for one queue: attempt 1 (never shared between queues). */
export function newEntry(parcel: Parcel): Delivery {
  return { parcel, attempt: 1, deliveredAt: 0, timedOut: false };
}
