/**
 * Pure rules of replies across instances: a requester's inbox is named `<instance>/<inbox>` on
 * the bus (inbox names are unique only within one process), and a reply travels to the
 * requester's instance as one core message: a JSON head [inbox, topic, from, inReplyTo], a
 * newline, then the data as is (as the message envelope does).
 */
import { NATS_NAME_PATTERN } from './names.js';

/** A reply on its way to the instance that opened `inbox` (the local part of the address). */
export interface ReplyWire {
  readonly inbox: string;
  readonly topic: string;
  readonly from: string | null;
  readonly inReplyTo: string;
  readonly data: string;
}

/** The inbox as other instances see it. */
export function qualifyInbox(instance: string, inbox: string): string {
  return `${instance}/${inbox}`;
}

/**
 * Where a reply address points: `instance` null for an unqualified (local) inbox. Null for an
 * address whose instance part is not an instance name (bytes from the bus are untrusted: it
 * becomes a subject token, so `*`, `>` or `.` must never reach one).
 */
export function parseInbox(address: string): { readonly instance: string | null; readonly inbox: string } | null {
  const slash = address.indexOf('/');
  if (slash === -1) return { instance: null, inbox: address };
  const instance = address.slice(0, slash);
  const inbox = address.slice(slash + 1);
  if (!NATS_NAME_PATTERN.test(instance) || inbox === '') return null;
  return { instance, inbox };
}

export function encodeReply(reply: ReplyWire): Buffer {
  return Buffer.from(`${JSON.stringify([reply.inbox, reply.topic, reply.from, reply.inReplyTo])}\n${reply.data}`, 'utf8');
}

/** Null for anything that is not a reply. */
export function decodeReply(bytes: Uint8Array): ReplyWire | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const newline = buffer.indexOf(10);
  if (newline < 0) return null;
  try {
    const head = JSON.parse(buffer.toString('utf8', 0, newline)) as unknown;
    if (!Array.isArray(head) || head.length !== 4) return null;
    const [inbox, topic, from, inReplyTo] = head as unknown[];
    if (typeof inbox !== 'string' || typeof topic !== 'string' || (from !== null && typeof from !== 'string') || typeof inReplyTo !== 'string') return null;
    return { inbox, topic, from, inReplyTo, data: buffer.toString('utf8', newline + 1) };
  } catch {
    return null;
  }
}

/**
 * The task a dropped reply is counted for: the requester pod's (`<pod>#<run>`, pods named
 * `<task>-<index>`), or for a local requester (`@…`, no task of its own) the replying pod's.
 */
export function requesterTask(inbox: string, from: string | null): { readonly task: string; readonly pod: string | null } {
  const hash = inbox.lastIndexOf('#');
  if (!inbox.startsWith('@') && hash > 0) {
    const pod = inbox.slice(0, hash);
    return { task: taskOfPod(pod), pod };
  }
  return { task: from === null ? '' : taskOfPod(from), pod: null };
}

function taskOfPod(pod: string): string {
  const dash = pod.lastIndexOf('-');
  return dash === -1 ? pod : pod.slice(0, dash);
}
