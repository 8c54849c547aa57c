/**
 * Results of numbered inputs (1, 2, 3, … in read order), written either as they settle or, with
 * `keepOrder`, in input order (like `parallel -k`): a result waits until every earlier input has
 * settled. A failed input (dead-lettered) settles with no output. Pure: `write` is called
 * synchronously with each result that is ready.
 *
 * Memory: with keepOrder, only results that arrived ahead of an unsettled earlier input wait here,
 * at most the inputs in flight (queued + held by pods), which the bus bounds.
 */
export class OrderedOutput {
  /** The next input number to write, with keepOrder. */
  private next = 1;
  /** Settled ahead of `next`: data, or null for a failed input. */
  private readonly early = new Map<number, string | null>();
  private settledCount = 0;

  constructor(
    private readonly keepOrder: boolean,
    private readonly write: (data: string) => void,
  ) {}

  /** Inputs settled so far (written, waiting for an earlier one, or failed). */
  get settled(): number {
    return this.settledCount;
  }

  /** Results held back for order. */
  get waiting(): number {
    return this.early.size;
  }

  /** Input `seq` settled with `data` (null: failed, nothing to write). A second settle of one input is ignored. */
  settle(seq: number, data: string | null): void {
    if (seq < this.next || this.early.has(seq)) return;
    this.settledCount++;
    if (!this.keepOrder) {
      if (data !== null) this.write(data);
      // Only for the "second settle" check: inputs are numbered from 1 and never revisited.
      if (seq === this.next) this.advance();
      else this.early.set(seq, null);
      return;
    }
    if (seq !== this.next) {
      this.early.set(seq, data);
      return;
    }
    if (data !== null) this.write(data);
    this.advance();
  }

  private advance(): void {
    this.next++;
    for (;;) {
      if (!this.early.has(this.next)) return;
      const data = this.early.get(this.next) as string | null;
      this.early.delete(this.next);
      if (data !== null && this.keepOrder) this.write(data);
      this.next++;
    }
  }
}
