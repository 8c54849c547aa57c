/** Upper bounds (seconds) of the ack-latency histogram buckets; +Inf is implied. */
export const ACK_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface LatencyHistogram {
  /** counts[i]: observations <= ACK_LATENCY_BUCKETS[i] and above the previous bound; the last is +Inf. Not cumulative. */
  readonly counts: readonly number[];
  readonly sumSeconds: number;
  readonly count: number;
}

interface Mutable {
  readonly counts: number[];
  sumSeconds: number;
  count: number;
}

/** Publish-to-ack latency per task, as fixed buckets (O(buckets) per ack, no allocation). */
export class AckLatency {
  private readonly byTask = new Map<string, Mutable>();

  observe(task: string, latencyMs: number): void {
    let h = this.byTask.get(task);
    if (h === undefined) {
      h = { counts: new Array<number>(ACK_LATENCY_BUCKETS.length + 1).fill(0), sumSeconds: 0, count: 0 };
      this.byTask.set(task, h);
    }
    const seconds = Math.max(0, latencyMs) / 1000;
    let i = 0;
    while (i < ACK_LATENCY_BUCKETS.length && seconds > (ACK_LATENCY_BUCKETS[i] as number)) i++;
    h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sumSeconds += seconds;
    h.count++;
  }

  of(task: string): LatencyHistogram | undefined {
    return this.byTask.get(task);
  }

  forgetTask(task: string): void {
    this.byTask.delete(task);
  }
}
