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

/**
 * The last dead letters of each task, with their data, for the dead-letter view and retry.
 * Bounded per task; a removed task's list goes with `forgetTask`.
 */
export class DeadLetterBox {
  private readonly byTask = new Map<string, { list: DeadLetter[]; evicted: number }>();

  constructor(private readonly perTask = KEPT_DEAD_LETTERS) {}

  add(task: string, letter: DeadLetter): void {
    let entry = this.byTask.get(task);
    if (entry === undefined) {
      entry = { list: [], evicted: 0 };
      this.byTask.set(task, entry);
    }
    entry.list.push(letter);
    if (entry.list.length > this.perTask) {
      entry.list.shift();
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
    return taken;
  }

  forgetTask(task: string): void {
    this.byTask.delete(task);
  }
}
