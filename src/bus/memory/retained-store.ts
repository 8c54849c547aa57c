import type { Message } from '../../protocol/types.js';
import { ownCopy } from '../../util/own-copy.js';
import { messageIds } from '../dispatcher/message-ids.js';

/** Bounds of the retained-latest store. Both are hard caps; the oldest-updated topic goes first. */
export interface RetainedLimits {
  /** Most topics kept (>= 1). Default 10,000. */
  readonly maxTopics: number;
  /** Most UTF-16 code units of `topic + data` kept in total (>= 0). Default 64 Mi (~128 MiB). */
  readonly maxChars: number;
}

export const DEFAULT_RETAINED_LIMITS: RetainedLimits = { maxTopics: 10_000, maxChars: 64 * 1024 * 1024 };

/** What is kept per topic: the fields of its latest message, and that message once it is an object. */
interface Latest {
  readonly topic: string;
  data: string;
  from: string | null;
  at: number;
  /** The message as published when it was one (queued, tapped), else made on first read. */
  message: Message | null;
  /** Bumped on every update: `attach` binds a message only to the update it belongs to. */
  version: number;
  /** False from `retainText` until the next `settle`, which copies its data. */
  settled: boolean;
}

/**
 * The latest message of each topic, for `replay_latest`, `system.latest` and the API.
 *
 * Invariants: at most one message per topic; at most `maxTopics` topics and `maxChars` characters
 * in total, so pods publishing on ever-new topics or huge payloads cannot grow memory without
 * bound. Iteration order is least-recently-updated first (a Map re-inserted on update), which is
 * both the eviction order and the replay order. A single message larger than `maxChars` is not
 * retained at all.
 *
 * A message that no queue had to keep is retained as its fields (`retainText`), written in place:
 * publishing on a known topic allocates nothing. It becomes a Message (with a fresh id) only when
 * read; a message that is also queued is attached (`attach`), so the queue and the store share one
 * id (replay skips what still waits in the queue by id).
 */
export class RetainedStore {
  private readonly byTopic = new Map<string, Latest>();
  private chars = 0;
  /** The entry updated last (the Map's last), or null when unknown. */
  private newest: Latest | null = null;
  private version = 0;
  /** Entries given data by `retainText` since the last `settle`. */
  private readonly touched: Latest[] = [];
  private readonly limits: RetainedLimits;

  constructor(
    limits: Partial<RetainedLimits> = {},
    /** Ids of the messages made on read. */
    private readonly newId: () => string = messageIds(),
  ) {
    this.limits = { ...DEFAULT_RETAINED_LIMITS, ...limits };
  }

  get size(): number {
    return this.byTopic.size;
  }

  /** Total characters retained (topic + data of every message). */
  get retainedChars(): number {
    return this.chars;
  }

  retain(message: Message): void {
    this.update(message.topic, message.data, message.from, message.publishedAt, message);
  }

  /**
   * Retains a message that is not (yet) an object. Returns the version to `attach` its Message to,
   * should one be made for the same publish.
   */
  retainText(topic: string, data: string, from: string | null, at: number): number {
    const version = this.update(topic, data, from, at, null);
    const entry = this.newest;
    if (entry !== null && entry.version === version && entry.settled) {
      entry.settled = false;
      this.touched.push(entry);
    }
    return version;
  }

  /**
   * The end of a turn of publishing: the data of what `retainText` kept since the last call is
   * copied, so it pins the stdout chunk it was sliced from for one turn only (see ownCopy). Data
   * of a kept Message stays as it is (a Message is immutable; it is in a queue, which keeps its
   * chunk anyway).
   */
  settle(): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const entry = touched[i]!;
      entry.settled = true;
      if (entry.message === null) entry.data = ownCopy(entry.data);
    }
    while (touched.length > 0) touched.pop();
  }

  /** `message` is the one retained by `retainText` as `version` (unless a later update replaced it). */
  attach(version: number, message: Message): void {
    const entry = this.newest;
    if (entry !== null && entry.version === version && entry.topic === message.topic) entry.message = message;
    else {
      const kept = this.byTopic.get(message.topic);
      if (kept !== undefined && kept.version === version) kept.message = message;
    }
  }

  latest(topic: string): Message | undefined {
    const entry = this.byTopic.get(topic);
    return entry === undefined ? undefined : this.messageOf(entry);
  }

  /** Retained messages whose topic satisfies `matches`, least-recently-updated first. */
  select(matches: (topic: string) => boolean): Message[] {
    const out: Message[] = [];
    for (const [topic, entry] of this.byTopic) if (matches(topic)) out.push(this.messageOf(entry));
    return out;
  }

  clear(): void {
    this.byTopic.clear();
    this.chars = 0;
    this.newest = null;
  }

  private update(topic: string, data: string, from: string | null, at: number, message: Message | null): number {
    const version = ++this.version;
    const w = topic.length + data.length;
    let entry = this.newest !== null && this.newest.topic === topic ? this.newest : this.byTopic.get(topic);
    if (entry !== undefined) {
      this.chars -= entry.topic.length + entry.data.length;
      if (w > this.limits.maxChars) {
        this.byTopic.delete(topic);
        if (entry === this.newest) this.newest = null;
        return version;
      }
      // Map.set keeps an existing key in place: move it to the end, unless it is there already
      // (one topic published over and over costs no Map operation at all).
      if (entry !== this.newest) {
        this.byTopic.delete(topic);
        this.byTopic.set(topic, entry);
      }
      entry.data = data;
      entry.from = from;
      entry.at = at;
      entry.message = message;
      entry.version = version;
    } else {
      if (w > this.limits.maxChars) return version;
      entry = { topic, data, from, at, message, version, settled: true };
      this.byTopic.set(topic, entry);
    }
    this.newest = entry;
    this.chars += w;
    // Never evicts `topic` itself: it is the newest and fits alone (maxTopics >= 1).
    while (this.byTopic.size > this.limits.maxTopics || this.chars > this.limits.maxChars) {
      const oldest = this.byTopic.values().next();
      if (oldest.done === true) break;
      this.byTopic.delete(oldest.value.topic);
      this.chars -= oldest.value.topic.length + oldest.value.data.length;
    }
    return version;
  }

  private messageOf(entry: Latest): Message {
    return (entry.message ??= { id: this.newId(), topic: entry.topic, data: entry.data, from: entry.from, publishedAt: entry.at });
  }
}
