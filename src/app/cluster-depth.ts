import type { Bus, QueueDepth } from '../bus/bus.js';
import type { Logger } from '../util/logger.js';

export interface ClusterDepthDeps {
  readonly bus: Pick<Bus, 'depth'>;
  readonly logger: Logger;
  /** Between two reads of the server. */
  readonly intervalMs: number;
  /** The numbers changed (completion looks again). */
  changed(): void;
}

/**
 * The queues of a bus shared with other instances, as last read from the server: what `tasks`
 * shows and what --exit-on-complete waits for. Reading them is a request per task, so it is
 * polled off the hot path and the latest answer is kept; one read at a time.
 */
export class ClusterDepth {
  private latest: Readonly<Record<string, QueueDepth>> = {};
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private failed = false;

  constructor(private readonly deps: ClusterDepthDeps) {}

  start(): void {
    if (this.timer !== null) return;
    void this.read();
    this.timer = setInterval(() => void this.read(), this.deps.intervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Undefined until the first read answered, or for a task the bus does not know. */
  of(task: string): QueueDepth | undefined {
    return this.latest[task];
  }

  /** Queued plus unacknowledged messages of every task, on every instance. */
  total(): number {
    let sum = 0;
    for (const depth of Object.values(this.latest)) sum += depth.queued + depth.inFlight;
    return sum;
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const next = await this.deps.bus.depth();
      if (this.failed) this.deps.logger.info('reading the queue depths from the NATS server works again');
      this.failed = false;
      const changed = JSON.stringify(next) !== JSON.stringify(this.latest);
      this.latest = next;
      if (changed) this.deps.changed();
    } catch (error) {
      // The server is away (a connection notice says so): keep the last numbers, warn once.
      if (!this.failed) this.deps.logger.warn({ err: error }, 'cannot read the queue depths from the NATS server; tasks and --exit-on-complete use the last known numbers');
      this.failed = true;
    } finally {
      this.reading = false;
    }
  }
}
