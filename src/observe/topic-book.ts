import type { Message } from '../protocol/types.js';
import { ownCopy } from '../util/own-copy.js';

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

/** A publisher's count on one topic: a mutable cell, so counting is a Map get and no set. */
interface Count {
  n: number;
}

/** What is kept per topic: plain fields, written in place per message (no object per message). */
interface Entry {
  readonly topic: string;
  readonly publishers: Map<string, Count>;
  published: number;
  /** Publish order across all topics: the smallest is the least recently published. */
  seq: number;
  lastAt: number;
  /** The last message's data, whole: cut to LATEST_DATA_CHARS when read. */
  data: string;
  from: string | null;
  /** The turn (TopicBook.turns) whose messages last touched it, to copy its data at the end of that turn. */
  turn: number;
}

/**
 * Which topics were published, by which tasks, how often, and the last message of each: the
 * topics view and the per-task `published` counter. O(1) per message with no allocation once a
 * topic and its publishers are known: counts and the last message are fields written in place,
 * the LATEST_DATA_CHARS cut is made when read, and the time is read once per turn of the event
 * loop (`count`), not per message.
 *
 * Bounded: at most `maxTopics` topics; when one more arrives, the least recently published is
 * forgotten (found by a scan of the kept topics, so publishing on known topics pays nothing for
 * the order). The last data of each is the parser's string, copied once at the end of the turn
 * (a pod's messages) so it does not keep the stdout chunk it was sliced from; only the view's copy
 * is cut.
 */
export class TopicBook {
  private readonly topics = new Map<string, Entry>();
  private readonly byTask = new Map<string, Count>();
  private forgotten = 0;
  private seq = 0;
  /** The entry published last: a run on one topic needs no Map lookup. */
  private newest: Entry | null = null;
  /** The count cell of `newest` for `lastPublisher`, so a run of one publisher on one topic needs no Map. */
  private lastPublisher = '';
  private lastCount: Count | null = null;
  /** The last publishing task and its cell in `byTask` (kept forever, so never stale). */
  private lastTask: string | null = null;
  private lastTaskCount: Count | null = null;
  /** Turns of pod messages counted so far, and the entries the current one touched. */
  private turns = 0;
  private readonly touched: Entry[] = [];
  /** The time stamped on this turn's messages; -1 until the first message of a turn reads it. */
  private turnAt = -1;

  constructor(
    private readonly maxTopics = MAX_TOPICS,
    /** Epoch ms, read at most once per turn by `count`. */
    private readonly now: () => number = Date.now,
  ) {}

  /** `task` is the publishing pod's task, null for the orchestrator / API. */
  published(message: Message, task: string | null): void {
    this.add(message.topic, message.data, message.from, task).lastAt = message.publishedAt;
  }

  /**
   * A pod's publisher read a message (the hot path: no object is built). Stamped with the time of
   * the turn: messages read in one turn of the event loop (one stdout chunk) share it.
   */
  count(topic: string, data: string, from: string | null, task: string | null): void {
    if (this.turnAt < 0) {
      this.turnAt = this.now();
      queueMicrotask(this.endTurn);
    }
    const entry = this.add(topic, data, from, task);
    // Field to field: a time passed as an argument would be boxed (a heap number per message).
    entry.lastAt = this.turnAt;
    if (entry.turn !== this.turns) {
      entry.turn = this.turns;
      this.touched.push(entry);
    }
  }

  /** Messages the task's pods published, on any topic. */
  publishedBy(task: string): number {
    return this.byTask.get(task)?.n ?? 0;
  }

  /** Every remembered topic, sorted by name. */
  list(): TopicRecord[] {
    const out: TopicRecord[] = [];
    for (const e of this.topics.values()) {
      const truncated = e.data.length > LATEST_DATA_CHARS;
      const publishers = new Map<string, number>();
      for (const [name, count] of e.publishers) publishers.set(name, count.n);
      out.push({
        topic: e.topic,
        publishers,
        published: e.published,
        lastAt: e.lastAt,
        latest: { data: truncated ? e.data.slice(0, LATEST_DATA_CHARS) : e.data, from: e.from, at: e.lastAt, truncated },
      });
    }
    return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }

  /** Topics forgotten to stay within the bound. */
  get evicted(): number {
    return this.forgotten;
  }

  /**
   * The turn's messages are counted: the last data of each topic they touched is copied, so it
   * pins the stdout chunk it was sliced from for this turn only (see ownCopy).
   */
  private readonly endTurn = (): void => {
    this.turnAt = -1;
    this.turns++;
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const entry = touched[i]!;
      entry.data = ownCopy(entry.data);
    }
    while (touched.length > 0) touched.pop();
  };

  private add(topic: string, data: string, from: string | null, task: string | null): Entry {
    if (task !== null) {
      if (task !== this.lastTask || this.lastTaskCount === null) {
        this.lastTask = task;
        this.lastTaskCount = cell(this.byTask, task);
      }
      this.lastTaskCount.n++;
    }
    const publisher = task ?? '';
    let entry = this.newest;
    // A run of one publisher on one topic: its entry and count cell are the last ones, no Map.
    if (entry === null || entry.topic !== topic || publisher !== this.lastPublisher || this.lastCount === null) {
      if (entry === null || entry.topic !== topic) entry = this.entryOf(topic);
      this.newest = entry;
      this.lastPublisher = publisher;
      this.lastCount = cell(entry.publishers, publisher);
    }
    entry.seq = ++this.seq;
    entry.published++;
    entry.data = data;
    entry.from = from;
    this.lastCount.n++;
    return entry;
  }

  private entryOf(topic: string): Entry {
    let entry = this.topics.get(topic);
    if (entry === undefined) {
      if (this.topics.size >= this.maxTopics) this.forgetOldest();
      entry = { topic, publishers: new Map(), published: 0, seq: 0, lastAt: 0, data: '', from: null, turn: -1 };
      this.topics.set(topic, entry);
    }
    return entry;
  }

  private forgetOldest(): void {
    let oldest: Entry | null = null;
    for (const e of this.topics.values()) if (oldest === null || e.seq < oldest.seq) oldest = e;
    if (oldest === null) return;
    this.topics.delete(oldest.topic);
    if (this.newest === oldest) {
      this.newest = null;
      this.lastCount = null;
    }
    this.forgotten++;
  }
}

/** The count cell of `key` in `counts`, made (at 0) when missing. */
function cell(counts: Map<string, Count>, key: string): Count {
  let count = counts.get(key);
  if (count === undefined) counts.set(key, (count = { n: 0 }));
  return count;
}
