import type { Message } from '../../protocol/types.js';

/** Bounds of the retained-latest store. Both are hard caps; the oldest-updated topic goes first. */
export interface RetainedLimits {
  /** Most topics kept (>= 1). Default 10,000. */
  readonly maxTopics: number;
  /** Most UTF-16 code units of `topic + data` kept in total (>= 0). Default 64 Mi (~128 MiB). */
  readonly maxChars: number;
}

export const DEFAULT_RETAINED_LIMITS: RetainedLimits = { maxTopics: 10_000, maxChars: 64 * 1024 * 1024 };

/**
 * The latest message of each topic, for `replay_latest`.
 *
 * Invariants: at most one message per topic; at most `maxTopics` topics and `maxChars` characters
 * in total, so pods publishing on ever-new topics or huge payloads cannot grow memory without
 * bound. Iteration order is least-recently-updated first (a Map re-inserted on update), which is
 * both the eviction order and the replay order. A single message larger than `maxChars` is not
 * retained at all.
 */
export class RetainedStore {
  private readonly byTopic = new Map<string, Message>();
  private chars = 0;
  /** The topic updated last (the Map's last key), or null when unknown. */
  private newest: string | null = null;
  private readonly limits: RetainedLimits;

  constructor(limits: Partial<RetainedLimits> = {}) {
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
    const { topic } = message;
    const previous = this.byTopic.get(topic);
    if (previous !== undefined) {
      this.chars -= weight(previous);
      // Map.set keeps an existing key in place: move it to the end, unless it is there already
      // (one topic published over and over costs one get and one set).
      if (topic !== this.newest) this.byTopic.delete(topic);
    }
    const w = weight(message);
    if (w > this.limits.maxChars) {
      this.byTopic.delete(topic);
      if (topic === this.newest) this.newest = null;
      return;
    }
    this.byTopic.set(topic, message);
    this.newest = topic;
    this.chars += w;
    // Never evicts `topic` itself: it is the newest and fits alone (maxTopics >= 1).
    while (this.byTopic.size > this.limits.maxTopics || this.chars > this.limits.maxChars) {
      const oldest = this.byTopic.keys().next();
      if (oldest.done === true) break;
      const evicted = this.byTopic.get(oldest.value) as Message;
      this.byTopic.delete(oldest.value);
      this.chars -= weight(evicted);
    }
  }

  latest(topic: string): Message | undefined {
    return this.byTopic.get(topic);
  }

  /** Retained messages whose topic satisfies `matches`, least-recently-updated first. */
  select(matches: (topic: string) => boolean): Message[] {
    const out: Message[] = [];
    for (const [topic, message] of this.byTopic) if (matches(topic)) out.push(message);
    return out;
  }

  clear(): void {
    this.byTopic.clear();
    this.chars = 0;
    this.newest = null;
  }
}

function weight(message: Message): number {
  return message.topic.length + message.data.length;
}
