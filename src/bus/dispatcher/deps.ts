import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { DispatcherEvent } from '../types.js';

export interface DispatcherDeps {
  /** Ack timeouts: one timer per pod at most, never one per message. */
  readonly clock: Clock;
  /** The dispatcher only warns (once per task for repeated problems). */
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Synchronous notification of everything the runtime must log or count. Must not throw. */
  onEvent?(event: DispatcherEvent): void;
  /**
   * After a pump that left messages in the task's queue (no pod of it could take more): an
   * autoscaled pool starts pods on it. Called often while a queue is backed up; must be cheap.
   */
  onWaiting?(task: string): void;
  /** Each `.result` acknowledgement: its task and the ms from publish to ack (metrics). Must not throw. */
  onAck?(task: string, latencyMs: number): void;
}
