import type { Msg } from '@nats-io/transport-node';

const ACK = Uint8Array.of(43, 65, 67, 75); // +ACK
const NAK = Uint8Array.of(45, 78, 65, 75); // -NAK
const WORKING = Uint8Array.of(43, 87, 80, 73); // +WPI
const TERM = Uint8Array.of(43, 84, 69, 82, 77); // +TERM

/** What the ack subject of a JetStream delivery says about it. */
export interface AckInfo {
  /** 1 on the first delivery, + 1 on each redelivery. */
  readonly deliveryCount: number;
  readonly streamSeq: number;
}

/**
 * Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (servers before
 * 2.10) or its form with domain and account hash (`$JS.ACK.<domain>.<hash>.<stream>…`, 2.10 and
 * later, with a trailing random token). Null when it is not an ack subject.
 */
export function parseAckSubject(reply: string): AckInfo | null {
  const tokens = reply.split('.');
  if (tokens[0] !== '$JS' || tokens[1] !== 'ACK') return null;
  const at = tokens.length === 9 ? 4 : tokens.length >= 11 ? 6 : -1;
  if (at === -1) return null;
  const deliveryCount = Number(tokens[at]);
  const streamSeq = Number(tokens[at + 1]);
  if (!Number.isSafeInteger(deliveryCount) || deliveryCount < 1 || !Number.isSafeInteger(streamSeq)) return null;
  return { deliveryCount, streamSeq };
}

/**
 * One JetStream delivery this instance holds, settled by plain acks on its reply subject: no
 * round trip (the server's answer to an ack is not awaited). Exactly-once settling is the task
 * source's job; a second ack of the same delivery is a no-op at the server.
 */
export class HeldMessage {
  constructor(
    private readonly msg: Pick<Msg, 'data' | 'respond'>,
    readonly info: AckInfo,
  ) {}

  get data(): Uint8Array {
    return this.msg.data;
  }

  get seq(): number {
    return this.info.streamSeq;
  }

  ack(): void {
    this.msg.respond(ACK);
  }

  /** Redelivered at once to any waiting pull. */
  nak(): void {
    this.msg.respond(NAK);
  }

  /** Removed from the stream without redelivery (its dead letter is stored). */
  term(): void {
    this.msg.respond(TERM);
  }

  /** Renews the lease (ack_wait) of an unsettled delivery. */
  working(): void {
    this.msg.respond(WORKING);
  }
}
