export interface DeadLetter {
  readonly id: string;
  readonly topic: string;
  readonly data: string;
  /** Deliveries made; 0 = undeliverable in the task's stdin format. */
  readonly attempts: number;
  readonly pod: string | null;
  readonly at: number;
  readonly reason: 'max-deliveries' | 'undeliverable';
}

/** Dead letters kept per task; older ones are forgotten (and counted). */
export const KEPT_DEAD_LETTERS = 100;
/** Most characters of data kept per task: 100 letters of max_message_size each could be 100s of MB. */
export const KEPT_DEAD_LETTER_CHARS = 4 * 1024 * 1024;

/**
 * The last dead letters of each task, with their data, for the dead-letter view and retry.
 * Bounded per task, in count and in characters (the oldest go first; a letter larger than the
 * whole budget is only counted); a removed task's list goes with `forgetTask`.
 */
export class DeadLetterBox {
  private readonly byTask = new Map<string, { list: DeadLetter[]; evicted: number; chars: number }>();

  constructor(
    private readonly perTask = KEPT_DEAD_LETTERS,
    private readonly maxChars = KEPT_DEAD_LETTER_CHARS,
  ) {}

  add(task: string, letter: DeadLetter): void {
    let entry = this.byTask.get(task);
    if (entry === undefined) {
      entry = { list: [], evicted: 0, chars: 0 };
      this.byTask.set(task, entry);
    }
    if (letter.data.length > this.maxChars) {
      entry.evicted++;
      return;
    }
    entry.list.push(letter);
    entry.chars += letter.data.length;
    while (entry.list.length > this.perTask || entry.chars > this.maxChars) {
      const oldest = entry.list.shift() as DeadLetter;
      entry.chars -= oldest.data.length;
      entry.evicted++;
    }
  }

  /** Oldest first. */
  list(task: string): readonly DeadLetter[] {
    return this.byTask.get(task)?.list ?? [];
  }

  evicted(task: string): number {
    return this.byTask.get(task)?.evicted ?? 0;
  }

  /** Removes and returns the letters with these ids (all of them when `ids` is null), oldest first. */
  take(task: string, ids: readonly string[] | null): DeadLetter[] {
    const entry = this.byTask.get(task);
    if (entry === undefined) return [];
    const taken = ids === null ? entry.list : entry.list.filter((l) => ids.includes(l.id));
    entry.list = ids === null ? [] : entry.list.filter((l) => !ids.includes(l.id));
    for (const l of taken) entry.chars -= l.data.length;
    return taken;
  }

  forgetTask(task: string): void {
    this.byTask.delete(task);
  }
}
