import type { StdinFormat } from '../../config/types.js';
import { encodeDelivery, encodeLatest, payloadProblem } from '../../protocol/encode.js';
import type { Message } from '../../protocol/types.js';
import type { Delivery } from '../transport.js';

/**
 * One published message plus its stdin encodings, shared by every task and pod it fans out to.
 * `framed` and `payload` bytes do not depend on the attempt, so each is encoded at most once per
 * message and the same Buffer is written to every pod (Buffers are never mutated after encoding).
 * `json` carries the attempt, so it is encoded per delivery.
 */
export class Parcel {
  private framed: Buffer | undefined;
  private payload: Buffer | undefined;
  private lineProblem: string | null | undefined;

  constructor(readonly message: Message) {}

  /** Why the message cannot be one `stdin = "payload"` line (see `payloadProblem`); computed once. */
  payloadProblem(): string | null {
    if (this.lineProblem === undefined) this.lineProblem = payloadProblem(this.message.data);
    return this.lineProblem;
  }

  bytes(format: StdinFormat, attempt: number): Buffer {
    switch (format) {
      case 'framed':
        return (this.framed ??= encodeDelivery('framed', this.message, attempt));
      case 'payload':
        return (this.payload ??= encodeDelivery('payload', this.message, attempt));
      case 'json':
        return encodeDelivery('json', this.message, attempt);
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

  override bytes(format: StdinFormat): Buffer {
    return encodeLatest(format, this.message.topic, this.found ? this.message : null);
  }
}

/** A fresh delivery of `parcel` for one queue: attempt 1 (never shared between queues). */
export function newEntry(parcel: Parcel): Delivery {
  return { parcel, attempt: 1, deliveredAt: 0, timedOut: false };
}
