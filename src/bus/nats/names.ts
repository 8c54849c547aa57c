/**
 * Pure naming and encoding rules of the NATS transport: stream, consumer, subject and KV names
 * per project, task and instance, the messaging fingerprint instances must agree on, and the
 * envelope a message travels in. Topics are free-form strings (spaces, `*`, quotes, control
 * characters), so they never become part of a subject or a header: they travel in the envelope,
 * and the retained-latest subject carries them base64url-encoded as one token.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../../protocol/types.js';
import type { DispatchTaskSpec } from '../types.js';

/** `project` and `instance`: no `_` or `.`, so names built from them split unambiguously. */
export const NATS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Why `name` cannot be a project or instance name; null when it can. */
export function natsNameProblem(name: string): string | null {
  if (NATS_NAME_PATTERN.test(name)) return null;
  return `${JSON.stringify(name)} must start with a letter or digit and contain only letters, digits and "-" (no "_" or ".")`;
}

/** The host name as an instance name: `web-1.example.com` → `web-1-example-com`. */
export function sanitizeInstance(hostname: string): string {
  const cleaned = hostname.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+/, '').replace(/-+$/, '');
  return cleaned === '' ? 'orchestrator' : cleaned;
}

export interface ProjectNames {
  /** Work stream of one task and the only subject it holds. */
  taskStream(task: string): string;
  taskSubject(task: string): string;
  /** Durable of a round_robin task (shared by all instances) or of a broadcast task on one instance. */
  durable(task: string, mode: DispatchTaskSpec['mode']): string;
  readonly latestStream: string;
  latestSubject(topic: string): string;
  readonly latestFilter: string;
  /** Core subject of observer traffic (taps and pod-level subscriptions). */
  readonly observerSubject: string;
  /** Core subject on which `instance` receives the replies addressed to its requesters. */
  inboxSubject(instance: string): string;
  readonly stateBucket: string;
  readonly liveBucket: string;
  /** KV keys carry task and instance names only (topics are not valid keys). */
  taskKey(task: string): string;
  readonly liveKey: string;
  /** This instance has observers (taps, pod-level subscriptions). */
  readonly interestKey: string;
  /** Nats-Msg-Id of one message (dedupes a publish retried after 10077 or a reconnect). */
  msgId(messageId: string, task: string): string;
}

export function projectNames(project: string, instance: string): ProjectNames {
  const base = `orch.${project}`;
  return {
    taskStream: (task) => `ORCH_${project}_${task}`,
    taskSubject: (task) => `${base}.q.${task}`,
    durable: (task, mode) => (mode === 'round_robin' ? task : `${task}_${instance}`),
    latestStream: `ORCH_${project}__LATEST`,
    latestSubject: (topic) => `${base}.latest.${Buffer.from(topic, 'utf8').toString('base64url') || '_'}`,
    latestFilter: `${base}.latest.>`,
    observerSubject: `${base}.t`,
    inboxSubject: (owner) => `${base}.inbox.${owner}`,
    stateBucket: `orch-${project}`,
    liveBucket: `orch-${project}-live`,
    taskKey: (task) => `tasks.${task}`,
    liveKey: `instances.${instance}`,
    interestKey: `interest.${instance}`,
    msgId: (messageId, task) => `${instance}:${messageId}:${task}`,
  };
}

/** The keys of a task every instance of a project must agree on (they shape the shared stream). */
export const MESSAGING_KEYS = ['subscribe', 'mode', 'maxQueue', 'maxQueueBytes', 'overflow', 'maxDeliveries', 'replayLatest'] as const;
export type MessagingKey = (typeof MESSAGING_KEYS)[number];
export type MessagingSpec = Pick<DispatchTaskSpec, MessagingKey>;

/** What an instance registers for a task in KV `tasks.<task>`. */
export interface TaskRecord {
  readonly spec: MessagingSpec;
  readonly fingerprint: string;
}

export function messagingSpec(spec: DispatchTaskSpec): MessagingSpec {
  return {
    subscribe: [...spec.subscribe].sort(),
    mode: spec.mode,
    maxQueue: spec.maxQueue,
    maxQueueBytes: spec.maxQueueBytes,
    overflow: spec.overflow,
    maxDeliveries: spec.maxDeliveries,
    replayLatest: spec.replayLatest,
  };
}

/** Stable over key order and subscription order. */
export function fingerprint(spec: MessagingSpec): string {
  const canonical = MESSAGING_KEYS.map((key) => [key, key === 'subscribe' ? [...spec.subscribe].sort() : spec[key]]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

export function taskRecord(spec: DispatchTaskSpec): TaskRecord {
  const messaging = messagingSpec(spec);
  return { spec: messaging, fingerprint: fingerprint(messaging) };
}

/** The messaging keys whose values differ, in MESSAGING_KEYS order (config names in snake_case). */
export function differingKeys(registered: MessagingSpec, ours: MessagingSpec): string[] {
  return MESSAGING_KEYS.filter((key) => JSON.stringify(key === 'subscribe' ? [...registered.subscribe].sort() : registered[key]) !== JSON.stringify(key === 'subscribe' ? [...ours.subscribe].sort() : ours[key])).map(
    (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  );
}

/** Parses a KV `tasks.<task>` value; null when it is not one (never trusted blindly). */
export function parseTaskRecord(bytes: Uint8Array): TaskRecord | null {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<TaskRecord>;
    const spec = value.spec;
    if (typeof value.fingerprint !== 'string' || spec === undefined || !Array.isArray(spec.subscribe) || !spec.subscribe.every((p) => typeof p === 'string')) return null;
    if (spec.mode !== 'round_robin' && spec.mode !== 'broadcast') return null;
    return value as TaskRecord;
  } catch {
    return null;
  }
}

/**
 * The envelope: one JSON line of [id, topic, from, publishedAt], plus [inbox, ref] on a request
 * (its reply address, the inbox qualified with its instance), a newline, then the data as is
 * (JSON never contains a raw newline, so the first one ends the head). The reply address rides
 * in the envelope rather than a header so every path a message takes (task streams, observers,
 * the latest stream) carries it, and messages without one keep their shape.
 */
export function encodeEnvelope(message: Message): Buffer {
  const reply = message.replyTo;
  const head = JSON.stringify(
    reply === undefined ? [message.id, message.topic, message.from, message.publishedAt] : [message.id, message.topic, message.from, message.publishedAt, reply.inbox, reply.ref],
  );
  return Buffer.from(`${head}\n${message.data}`, 'utf8');
}

/** Bytes from the server are untrusted: null for anything that is not an envelope. */
export function decodeEnvelope(bytes: Uint8Array): Message | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const newline = buffer.indexOf(10);
  if (newline < 0) return null;
  try {
    const head = JSON.parse(buffer.toString('utf8', 0, newline)) as unknown;
    if (!Array.isArray(head) || (head.length !== 4 && head.length !== 6)) return null;
    const [id, topic, from, publishedAt, inbox, ref] = head as unknown[];
    if (typeof id !== 'string' || typeof topic !== 'string' || (from !== null && typeof from !== 'string') || typeof publishedAt !== 'number') return null;
    const data = buffer.toString('utf8', newline + 1);
    if (head.length === 4) return { id, topic, from, publishedAt, data };
    if (typeof inbox !== 'string' || (ref !== null && typeof ref !== 'string')) return null;
    return { id, topic, from, publishedAt, data, replyTo: { inbox, ref } };
  } catch {
    return null;
  }
}

/** Bytes a message adds on the wire beyond `max_message_size` (envelope head, subject, headers). */
export const ENVELOPE_OVERHEAD = 512;
