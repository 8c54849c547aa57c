import type { ReplyAddress } from '../../protocol/types.js';
import type { TopicDispatcher } from './topic-dispatcher.js';

/** The part of TopicDispatcher an inlet uses. */
export type InletTarget = Pick<TopicDispatcher, 'tryPublish' | 'acknowledge' | 'whenRoom'>;

/**
 * Counts what publishers read (the run's topics view, kept outside the bus). Called once per
 * message, synchronously, before it is published; must not throw.
 */
export interface PublishCounter {
  /** `task`: the publishing pod's task, as the counter files it (null for the orchestrator's own). */
  count(topic: string, data: string, from: string | null, task: string | null): void;
}

/** A counter and the task it files one publisher's messages under. */
export interface PublishCount {
  readonly counter: PublishCounter;
  readonly task: string | null;
}

/** Stops and restarts reading the publisher (a pod's stdout and stderr). */
export interface InletFlow {
  pause(): void;
  resume(): void;
}

/**
 * One pod's way onto the bus, keeping queues with overflow = "block" exactly within their bounds.
 *
 * A read chunk of stdout holds many messages, all parsed at once. The first that a full queue
 * refuses pauses reading; it and every later message of the chunk wait here, in order, and are
 * offered again whenever the dispatcher has room; reading resumes once all are published. So
 * queues never pass max_queue / max_queue_bytes because of pods, and what waits here is bounded
 * by what the chunk that caused the pause completed: up to one read chunk (64 KiB) of lines, plus
 * one line or block begun in earlier chunks (at most max_message_size), plus what the parser
 * flushes when the stream ends.
 *
 * Replies acknowledge when read, not when published: a pod held back here keeps its
 * acknowledgements flowing, so a slow subscriber of `jobs.result` cannot make `jobs` time out.
 *
 * A requester's inlet (`inbox` set: a `receive_replies` pod run, or a local requester) attaches
 * its inbox to every message it publishes, so the replies come back to it.
 *
 * With a `count`, every message read is counted first (a direct call: no object, no closure).
 */
export class PublisherInlet {
  /** Held messages as topic, data, reply address triples from `head` on (flat: no object per held message). */
  private readonly held: (string | ReplyAddress | undefined)[] = [];
  private head = 0;
  private waiting = false;
  private closed = false;
  private readonly counter: PublishCounter | null;
  private readonly task: string | null;

  constructor(
    private readonly target: InletTarget,
    /** The publishing pod, or null for the orchestrator's own publishers (which acknowledge nothing). */
    private readonly from: string | null,
    private readonly flow: InletFlow,
    /** The requester's inbox, or null (most publishers). */
    private readonly inbox: string | null = null,
    private readonly onClose: (() => void) | null = null,
    count: PublishCount | null = null,
  ) {
    this.counter = count === null ? null : count.counter;
    this.task = count === null ? null : count.task;
  }

  /** Messages read but not yet published. */
  get pending(): number {
    return (this.held.length - this.head) / 3;
  }

  /** `ref`: a requester's own name for the message (echoed as the reply's `in_reply_to`). */
  publish(topic: string, data: string, inReplyTo: string | null = null, ref: string | null = null): void {
    if (this.counter !== null) this.counter.count(topic, data, this.from, this.task);
    if (this.from !== null) this.target.acknowledge(this.from, topic, inReplyTo, data);
    const replyTo = this.inbox === null ? undefined : { inbox: this.inbox, ref };
    if (!this.waiting && this.target.tryPublish(topic, data, this.from, replyTo)) return;
    this.held.push(topic, data, replyTo);
    if (!this.waiting) this.wait();
  }

  /** The stream ended: held messages are still published, but reading is never resumed. */
  close(): void {
    this.closed = true;
    this.onClose?.();
  }

  private wait(): void {
    this.waiting = true;
    this.flow.pause();
    void this.target.whenRoom().then(this.flush);
  }

  private readonly flush = (): void => {
    const held = this.held;
    while (this.head < held.length && this.target.tryPublish(held[this.head] as string, held[this.head + 1] as string, this.from, held[this.head + 2] as ReplyAddress | undefined)) {
      held[this.head] = held[this.head + 1] = held[this.head + 2] = undefined;
      this.head += 3;
    }
    if (this.head < held.length) {
      void this.target.whenRoom().then(this.flush);
      return;
    }
    held.length = 0;
    this.head = 0;
    this.waiting = false;
    if (!this.closed) this.flow.resume();
  };
}
