import type { IntervalHistogram } from 'node:perf_hooks';

/**
 * The event loop's delay, measured only once someone asked (the first `/metrics` scrape): a run
 * that is never scraped pays nothing, not even node:perf_hooks, loaded then. Each read gives the
 * p99 since the previous read, in seconds.
 */
export class LoopLag {
  private histogram: IntervalHistogram | null = null;

  read(): number {
    if (this.histogram === null) {
      this.histogram = process.getBuiltinModule('node:perf_hooks').monitorEventLoopDelay({ resolution: 20 });
      this.histogram.enable();
      return 0;
    }
    const p99 = this.histogram.count === 0 ? 0 : this.histogram.percentile(99) / 1e9;
    this.histogram.reset();
    return p99;
  }

  close(): void {
    this.histogram?.disable();
    this.histogram = null;
  }
}
