import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** The stream refused a publish (its API error: `code` is the JetStream err_code, 10077 = full). */
export class PublishRefusedError extends Error {
  override readonly name = 'PublishRefusedError';
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

/** No stream stored it in time (disconnected, leader election) or none listens on the subject. */
export class PublishUnansweredError extends Error {
  override readonly name = 'PublishUnansweredError';
  readonly code = 'NATS_PUBLISH_UNANSWERED';
}

interface Waiting {
  readonly at: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * JetStream publishes with their acknowledgements on one inbox subscription: a publish is a core
 * publish with `Nats-Msg-Id` and a reply subject `<inbox>.<n>`; the stream's answer (a PubAck, or
 * its API error) settles publish n. Replaces the client's request per publish, which allocated a
 * request record, a timer and an Error per message. A sweep every 250 ms fails what waited
 * longer than `timeoutMs` (the caller retries with the same Nats-Msg-Id, so nothing stores twice).
 */
export class PubAcks {
  private sub: Subscription | null = null;
  private prefix = '';
  private next = 0;
  /** In publish order, so the sweep stops at the first one not yet due. */
  private readonly waiting = new Map<number, Waiting>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly nc: Pick<NatsConnection, 'subscribe' | 'publish'>,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once the stream stored it (a duplicate of a stored one counts as stored). */
  publish(subject: string, payload: Uint8Array, msgID: string): Promise<void> {
    this.open();
    const token = this.next++;
    const h = headers();
    h.set('Nats-Msg-Id', msgID);
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(token, { at: this.now(), resolve, reject });
      try {
        this.nc.publish(subject, payload, { reply: `${this.prefix}${token}`, headers: h });
      } catch (error) {
        this.waiting.delete(token);
        reject(error as Error);
      }
    });
  }

  /** Fails every waiting publish and ends the subscription. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const [, w] of this.waiting) w.reject(new PublishUnansweredError('closed before the stream answered'));
    this.waiting.clear();
    const sub = this.sub;
    this.sub = null;
    try {
      sub?.unsubscribe();
    } catch {
      // The connection is closed already.
    }
  }

  private open(): void {
    if (this.sub !== null) return;
    this.prefix = `${createInbox()}.`;
    this.sub = this.nc.subscribe(`${this.prefix}*`, {
      callback: (error, msg) => {
        if (error === null) this.onAnswer(msg);
      },
    });
    this.timer = setInterval(this.sweep, Math.min(250, this.timeoutMs));
    this.timer.unref();
  }

  private onAnswer(msg: Msg): void {
    const token = Number(msg.subject.slice(this.prefix.length));
    const w = this.waiting.get(token);
    if (w === undefined) return; // answered after its timeout: already retried
    this.waiting.delete(token);
    const code = msg.headers?.code ?? 0;
    if (code === 503) {
      w.reject(new PublishUnansweredError('no stream listens on the subject (no responders)'));
      return;
    }
    const answer = pubAckError(msg.data);
    if (answer === null) w.resolve();
    else w.reject(answer);
  }

  private readonly sweep = (): void => {
    const due = this.now() - this.timeoutMs;
    for (const [token, w] of this.waiting) {
      if (w.at > due) break;
      this.waiting.delete(token);
      w.reject(new PublishUnansweredError(`no answer from the stream within ${this.timeoutMs} ms`));
    }
  };
}

const ERROR_MARK = Uint8Array.from(Buffer.from('"error"'));

/** Null for a PubAck (`{"stream":…,"seq":…}`), else the stream's refusal. */
export function pubAckError(data: Uint8Array): PublishRefusedError | null {
  // A PubAck is small and never holds `"error"`: parse only a refusal.
  if (Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(ERROR_MARK) === -1) {
    return data.byteLength === 0 ? new PublishRefusedError(0, 'empty answer') : null;
  }
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { error?: { err_code?: number; code?: number; description?: string } };
    const error = parsed.error ?? {};
    return new PublishRefusedError(error.err_code ?? error.code ?? 0, error.description ?? 'refused');
  } catch {
    return new PublishRefusedError(0, 'unreadable answer');
  }
}
