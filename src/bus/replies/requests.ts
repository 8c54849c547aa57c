import type { Message, ReplyAddress } from '../../protocol/types.js';
import type { Clock } from '../../util/clock.js';
import type { InboxTarget } from '../transport.js';

/** How one request through the bus ended (see Bus.request). */
export type RequestOutcome =
  | { readonly type: 'reply'; readonly reply: Message }
  /** No task or pod subscribes to the topic: nothing was published (NATS "no responders"). */
  | { readonly type: 'no-responders' }
  /** No reply within the timeout; one arriving later is dropped (`requester-gone`). */
  | { readonly type: 'timeout'; readonly afterMs: number };

export interface RequestDeps {
  readonly clock: Clock;
  hasResponders(topic: string): boolean;
  openInbox(inbox: string, target: InboxTarget): void;
  closeInbox(inbox: string): void;
  /** Publishes from the orchestrator (from null) with the reply address. */
  publish(topic: string, data: string, replyTo: ReplyAddress): void;
}

/** Names of this process's local inboxes: unique per run, never a pod's (which hold no "@"). */
export function localInboxes(prefix: string): () => string {
  let n = 0;
  return () => `@${prefix}-${++n}`;
}

/**
 * One request from the orchestrator itself (the control API's `request`): publishes `data` on
 * `topic` with a fresh local inbox and resolves with the first reply, a timeout, or at once
 * "no responders". The inbox closes when it resolves, so a late reply reaches no one.
 */
export function request(deps: RequestDeps, inbox: string, topic: string, data: string, timeoutMs: number): Promise<RequestOutcome> {
  if (!deps.hasResponders(topic)) return Promise.resolve({ type: 'no-responders' });
  return new Promise((resolve) => {
    const timer = deps.clock.setTimeout(() => {
      deps.closeInbox(inbox);
      resolve({ type: 'timeout', afterMs: timeoutMs });
    }, timeoutMs);
    deps.openInbox(inbox, {
      kind: 'listener',
      listener: (reply) => {
        deps.clock.clearTimeout(timer);
        deps.closeInbox(inbox);
        resolve({ type: 'reply', reply });
      },
    });
    deps.publish(topic, data, { inbox, ref: null });
  });
}
