import type { TaskSpec } from '../config/types.js';
import type { BusEvent, BusStats } from '../bus/bus.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { describeDrops, DropReport, type DiscardReason, type DropLine } from './drop-report.js';
import type { EventLog } from './event-log.js';
import { describeStall } from './lifecycle-log.js';
import type { StallChange } from './stall-detector.js';
import { StallWatch, type StallSpec } from './stall-watch.js';

export interface QueueSignalsDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: Pick<EventLog, 'record'>;
  stats(): BusStats;
  /** The task's current settings; undefined once it is gone. */
  spec(task: string): TaskSpec | undefined;
  /** Restart the pod like a failed liveness probe (`reason` says why, without the pod name). */
  restart(pod: string, reason: string): void;
}

/**
 * What the run tells the user about its queues, without a line per message: drop / reject
 * summaries (DropReport) and pods that hold a queue back by not reading their stdin (StallWatch).
 */
export class QueueSignals {
  readonly drops: DropReport;
  readonly stalls: StallWatch;

  constructor(private readonly deps: QueueSignalsDeps) {
    this.drops = new DropReport(deps.clock, (line) => this.logDrops(line));
    this.stalls = new StallWatch({
      clock: deps.clock,
      stats: deps.stats,
      spec: deps.spec,
      changed: (change, spec) => this.stallChanged(change, spec),
      restart: deps.restart,
    });
  }

  /** Counts a discarded message (every other event is logged elsewhere). */
  busEvent(event: BusEvent): void {
    if (event.type === 'dropped') this.drops.note(event.task, event.reason);
    else if (event.type === 'rejected') this.drops.note(event.task, 'rejected');
  }

  /** Discards so far per reason for the task. */
  discarded(task: string): Partial<Record<DiscardReason, number>> {
    return this.drops.totals(task);
  }

  start(): void {
    this.stalls.start();
  }

  /** The run ends: pending drop counts are logged, no timer is left. */
  close(): void {
    this.stalls.stop();
    this.drops.close();
  }

  private logDrops(line: DropLine): void {
    const level = line.reason === 'overflow' || line.reason === 'rejected' ? 'warn' : 'info';
    if (!this.deps.logger.isLevelEnabled(level)) return; // no text for a line nobody sees
    const spec = this.deps.spec(line.task);
    const text = describeDrops(line, spec === undefined ? null : { overflow: spec.overflow, maxQueue: spec.maxQueue });
    this.deps.logger[level]({ task: line.task, reason: line.reason, count: line.count, total: line.total }, text);
  }

  private stallChanged(change: StallChange, spec: StallSpec | undefined): void {
    const text = describeStall(change, spec);
    if (change.type === 'stalled') {
      this.deps.events.record({ type: 'pod-stalled', task: change.task, pod: change.pod, forMs: change.forMs, queued: change.queued });
      this.deps.logger.warn({ pod: change.pod, task: change.task, forMs: change.forMs, queued: change.queued }, text ?? '');
      return;
    }
    this.deps.events.record({ type: 'pod-unstalled', task: change.task, pod: change.pod, forMs: change.forMs, how: change.type === 'recovered' ? 'reading' : 'gone' });
    if (text !== null) this.deps.logger.info({ pod: change.pod, task: change.task, forMs: change.forMs }, text);
  }
}
