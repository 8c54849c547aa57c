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
}

/** What the stdout parser reports, one event per complete line or block. */
export type StdoutEvent =
  /**
   * `inReplyTo`: the id of the delivery this message answers (JSON message lines only); absent
   * when the line does not name one.
   */
  | { readonly type: 'message'; readonly topic: string; readonly data: string; readonly inReplyTo?: string }
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
