import type { StdinFormat } from '../../config/types.js';
import { encodeDelivery, encodeLatest, payloadProblem } from '../../protocol/encode.js';
import type { Message } from '../../protocol/types.js';
import type { Delivery } from '../transport.js';

/**
 * One published message plus its stdin encodings, shared by every task and pod it fans out to.
 * `framed` and `payload` do not depend on the attempt, so each is encoded at most once per message;
 * `json` carries the attempt, so it is encoded once per attempt.
 *
 * What a pod is given (`chunk`): the delivery's text, which the pod's writer joins with the turn's
 * other texts into one string for the stream to encode (no Buffer per delivery), unless the
 * message goes to several pods (`shared`: its route has several queues; `many`: a broadcast to
 * several pods of one task): then one Buffer encoded once from that text, which every writer
 * copies, because encoding the same text again per pod costs more than copying its bytes. The
 * choice is per message, not per pod, so a pod's turn is all text or all bytes (a mixed turn is
 * re-encoded by the writer). Buffers are never mutated after encoding.
 */
export class Parcel {
  private framedText: string | undefined;
  private framedBytes: Buffer | undefined;
  private payloadText: string | undefined;
  private payloadBytes: Buffer | undefined;
  private jsonText: string | undefined;
  private jsonBytes: Buffer | undefined;
  private jsonAttempt = 0;
  private lineProblem: string | null | undefined;

  constructor(
    readonly message: Message,
    /** The message goes to more than one queue (fan-out): every pod gets the shared Buffer. */
    private readonly shared = false,
  ) {}

  /** Why the message cannot be one `stdin = "payload"` line (see `payloadProblem`); computed once. */
  payloadProblem(): string | null {
    if (this.lineProblem === undefined) this.lineProblem = payloadProblem(this.message.data);
    return this.lineProblem;
  }

  /** The delivery's text in `format` (its bytes are that text as UTF-8, see FrameEncoder). */
  text(format: StdinFormat, attempt: number): string {
    return encodeDelivery(format, this.message, attempt);
  }

  /** What to write to one pod (see the class): `many` when this delivery goes to several pods at once. */
  chunk(format: StdinFormat, attempt: number, many = false): string | Buffer {
    const bytes = many || this.shared;
    switch (format) {
      case 'framed': {
        const text = (this.framedText ??= this.text('framed', attempt));
        return bytes ? (this.framedBytes ??= Buffer.from(text, 'utf8')) : text;
      }
      case 'payload': {
        const text = (this.payloadText ??= this.text('payload', attempt));
        return bytes ? (this.payloadBytes ??= Buffer.from(text, 'utf8')) : text;
      }
      case 'json': {
        if (this.jsonAttempt !== attempt) {
          this.jsonAttempt = attempt;
          this.jsonText = this.text('json', attempt);
          this.jsonBytes = undefined;
        }
        const text = this.jsonText as string;
        return bytes ? (this.jsonBytes ??= Buffer.from(text, 'utf8')) : text;
      }
    }
  }
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
