import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Message } from '../../protocol/types.js';
import type { InboxTarget, TransportEvent } from '../transport.js';
import { decodeReply, encodeReply, parseInbox, requesterTask, type ReplyWire } from './reply-wire.js';

export interface InboxDeps {
  readonly nc: NatsConnection;
  readonly instance: string;
  inboxSubject(instance: string): string;
  newId(): string;
  now(): number;
  /** Queues the reply in the bound pod's own queue; false when the pod is not bound here. */
  toPod(pod: string, reply: Message): boolean;
  emit(event: TransportEvent): void;
  debug(message: string, error: unknown): void;
}

/** How long a reply to another instance waits for that instance to take it before it counts as lost (not dropped: it may have arrived). */
const REMOTE_REPLY_TIMEOUT_MS = 5_000;

/**
 * The requester inboxes of this instance and the way replies reach them from anywhere in the
 * project. A reply for a local inbox is delivered at once (exactly as in process). A reply for
 * another instance's inbox is a core request on that instance's inbox subject: the owner
 * delivers it (exactly one copy, never stored, never redelivered) or, when the inbox closed,
 * drops it with `requester-gone` where the requester was; when no instance listens on the
 * subject (the requester's instance is gone) the server says "no responders" and the drop is
 * reported here instead. Either way the reply reaches no one else.
 */
export class NatsInboxes {
  private readonly open = new Map<string, InboxTarget>();
  private subscription: Subscription | null = null;

  constructor(private readonly deps: InboxDeps) {}

  start(): void {
    this.subscription = this.deps.nc.subscribe(this.deps.inboxSubject(this.deps.instance), {
      callback: (error, msg) => {
        if (error !== null) return;
        const reply = decodeReply(msg.data);
        if (reply !== null && !this.deliverLocal(reply)) this.dropped(reply);
        if (msg.reply !== undefined && msg.reply !== '') msg.respond();
      },
    });
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.open.clear();
  }

  add(inbox: string, target: InboxTarget): void {
    this.open.set(inbox, target);
  }

  remove(inbox: string): void {
    this.open.delete(inbox);
  }

  /** A pod run ended: every inbox of the pod closes with it. */
  removePod(pod: string): void {
    if (this.open.size === 0) return;
    for (const [inbox, target] of this.open) if (target.kind === 'pod' && target.pod === pod) this.open.delete(inbox);
  }

  /** See Transport.deliverReply: false only for a local inbox that is not open (the caller counts it). */
  deliver(address: string, topic: string, data: string, from: string | null, inReplyTo: string): boolean {
    const parsed = parseInbox(address);
    if (parsed === null) return false;
    const reply: ReplyWire = { inbox: parsed.inbox, topic, from, inReplyTo, data };
    if (parsed.instance === null || parsed.instance === this.deps.instance) return this.deliverLocal(reply);
    this.deps.nc.request(this.deps.inboxSubject(parsed.instance), encodeReply(reply), { timeout: REMOTE_REPLY_TIMEOUT_MS }).then(
      () => undefined,
      (error: unknown) => {
        if (isNoResponders(error)) this.dropped(reply);
        else this.deps.debug(`reply to ${address} not confirmed by its instance`, error);
      },
    );
    return true;
  }

  private deliverLocal(reply: ReplyWire): boolean {
    const target = this.open.get(reply.inbox);
    if (target === undefined) return false;
    const message: Message = { id: this.deps.newId(), topic: reply.topic, data: reply.data, from: reply.from, publishedAt: this.deps.now(), inReplyTo: reply.inReplyTo };
    if (target.kind === 'listener') {
      target.listener(message);
      return true;
    }
    return this.deps.toPod(target.pod, message);
  }

  private dropped(reply: ReplyWire): void {
    const { task, pod } = requesterTask(reply.inbox, reply.from);
    const message: Message = { id: `${reply.inReplyTo}.reply`, topic: reply.topic, data: reply.data, from: reply.from, publishedAt: this.deps.now(), inReplyTo: reply.inReplyTo };
    this.deps.emit({ type: 'dropped', task, pod, reason: 'requester-gone', message });
  }
}

/** The server's "no responders" (a RequestError caused by NoRespondersError), duck-typed so only types are imported. */
function isNoResponders(error: unknown): boolean {
  const e = error as { isNoResponders?: () => boolean; name?: unknown; cause?: { name?: unknown } } | null;
  return e?.isNoResponders?.() === true || e?.name === 'NoRespondersError' || e?.cause?.name === 'NoRespondersError';
}
