import type { Message } from '../protocol/types.js';

/** How much of a topic's last message is kept for the topics view. */
export const LATEST_DATA_CHARS = 1024;
/** Most topics remembered; the least recently published one is forgotten first. */
export const MAX_TOPICS = 1000;

export interface TopicRecord {
  readonly topic: string;
  /** Task → messages it published on the topic; "" = the orchestrator or the API. */
  readonly publishers: ReadonlyMap<string, number>;
  readonly published: number;
  readonly lastAt: number;
  readonly latest: { readonly data: string; readonly from: string | null; readonly at: number; readonly truncated: boolean };
}

interface MutableRecord {
  readonly topic: string;
  readonly publishers: Map<string, number>;
  published: number;
  lastAt: number;
  latest: { data: string; from: string | null; at: number; truncated: boolean };
}

/**
 * Which topics were published, by which tasks, how often, and the last message of each: the
 * topics view and the per-task `published` counter. Bounded: at most `maxTopics` topics (a Map
 * kept in least-recently-published order, as RetainedStore does) and LATEST_DATA_CHARS of data
 * each, so pods publishing on ever-new topics cannot grow memory without bound. O(1) per message.
 */
export class TopicBook {
  private readonly topics = new Map<string, MutableRecord>();
  private readonly byTask = new Map<string, number>();
  private forgotten = 0;
  /** The Map's last key: publishing on it again needs no re-insert to stay in order. */
  private newest: string | null = null;

  constructor(private readonly maxTopics = MAX_TOPICS) {}

  /** `task` is the publishing pod's task, null for the orchestrator / API. */
  published(message: Message, task: string | null): void {
    const publisher = task ?? '';
    if (task !== null) this.byTask.set(task, (this.byTask.get(task) ?? 0) + 1);
    let record = this.topics.get(message.topic);
    if (record === undefined) {
      record = { topic: message.topic, publishers: new Map(), published: 0, lastAt: 0, latest: { data: '', from: null, at: 0, truncated: false } };
      if (this.topics.size >= this.maxTopics) this.forgetOldest();
      this.topics.set(message.topic, record);
    } else if (this.newest !== message.topic) {
      // Re-inserted so the Map stays in publish order (a run on one topic skips this).
      this.topics.delete(message.topic);
      this.topics.set(message.topic, record);
    }
    this.newest = message.topic;
    record.published++;
    record.lastAt = message.publishedAt;
    record.publishers.set(publisher, (record.publishers.get(publisher) ?? 0) + 1);
    const truncated = message.data.length > LATEST_DATA_CHARS;
    record.latest = { data: truncated ? message.data.slice(0, LATEST_DATA_CHARS) : message.data, from: message.from, at: message.publishedAt, truncated };
  }

  /** Messages the task's pods published, on any topic. */
  publishedBy(task: string): number {
    return this.byTask.get(task) ?? 0;
  }

  /** Every remembered topic, sorted by name. */
  list(): TopicRecord[] {
    return [...this.topics.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  /** Topics forgotten to stay within the bound. */
  get evicted(): number {
    return this.forgotten;
  }

  private forgetOldest(): void {
    const oldest = this.topics.keys().next();
    if (oldest.done === true) return;
    this.topics.delete(oldest.value);
    if (this.newest === oldest.value) this.newest = null;
    this.forgotten++;
  }
}
