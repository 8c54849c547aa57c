/** How messages are written to a pod's stdin (see docs/protocol.md). */
export type StdinFormat = 'framed' | 'json' | 'payload';

/** A message on the bus. Immutable once published; `data` lines are joined with "\n". */
export interface Message {
  /** Unique per orchestrator run. */
  readonly id: string;
  readonly topic: string;
  readonly data: string;
  /** Pod name of the publisher, or null when published by the orchestrator or the control API. */
  readonly from: string | null;
  /** Epoch milliseconds. */
  readonly publishedAt: number;
  /**
   * Where the reply to this message goes besides its `<topic>.result` subscribers: set only on
   * messages from a requester (a `receive_replies` pod, a request through the control API or the
   * pipeline's stdin), absent on every other message (so their shape stays the same).
   */
  readonly replyTo?: ReplyAddress;
  /** On a reply delivered to its requester: the request it answers (its `ref`, else its id). */
  readonly inReplyTo?: string;
}

/** A requester's inbox (one pod run, or one local waiter) and the name it gave the request. */
export interface ReplyAddress {
  readonly inbox: string;
  /** The requester's own name for the request (a json line's `id`), echoed as `in_reply_to`; null: the message id is. */
  readonly ref: string | null;
}

/** What the stdout parser reports, one event per complete line or block. */
export type StdoutEvent =
  /**
   * `inReplyTo`: the id of the delivery this message answers (JSON message lines only); absent
   * when the line does not name one. `ref`: the line's own `id` (JSON message lines only), the
   * name a requester gives its request: its reply is delivered with `in_reply_to` = `ref`.
   */
  | { readonly type: 'message'; readonly topic: string; readonly data: string; readonly inReplyTo?: string; readonly ref?: string }
  | { readonly type: 'log'; readonly line: string }
  /** A line or block exceeded maxMessageSize; its bytes were discarded. */
  | { readonly type: 'oversize'; readonly bytes: number; readonly topic: string | null }
  /**
   * A line that is grammatically a message or block start (`"topic": v`, `"topic"::`) but whose
   * topic is not publishable (empty, whitespace, wildcard or empty token). Nothing is published;
   * treat `line` exactly like a log line and warn with `reason`. A rejected block start does not
   * open a block: the following lines are parsed normally.
   */
  | {
      readonly type: 'invalid';
      readonly line: string;
      readonly topic: string;
      readonly reason: string;
    };
