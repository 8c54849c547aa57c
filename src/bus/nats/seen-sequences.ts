/** Most sequences remembered: past it the oldest are forgotten (a lost dedupe, never a lost message). */
export const SEEN_SEQUENCES_CAP = 65_536;

/**
 * The stream sequences a broadcast source has received from its durable, so that a message the
 * server sends again (its ack reached the server after ack_wait, or was lost with the connection)
 * is not handed to the pods a second time. A sequence at or below the durable's ack floor is never
 * sent again, so it is forgotten (`forgetThrough`); memory is bounded by what is unacknowledged on
 * the server, and by `cap`.
 */
export class SeenSequences {
  private readonly seqs = new Set<number>();

  constructor(private readonly cap = SEEN_SEQUENCES_CAP) {}

  get size(): number {
    return this.seqs.size;
  }

  /** Records `seq`: false when it was already recorded (a redelivery of a message received). */
  add(seq: number): boolean {
    if (this.seqs.has(seq)) return false;
    this.seqs.add(seq);
    if (this.seqs.size > this.cap) this.seqs.delete(this.seqs.values().next().value as number);
    return true;
  }

  /** The durable's ack floor: every sequence up to it is acknowledged on the server. */
  forgetThrough(floor: number): void {
    for (const seq of this.seqs) if (seq <= floor) this.seqs.delete(seq);
  }

  /** Sequences may start again (the durable or its stream was made anew). */
  clear(): void {
    this.seqs.clear();
  }
}
