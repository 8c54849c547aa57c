import type { TaskQueue } from './task-queue.js';

/**
 * Backpressure towards publishers. A queue with overflow = "block" at capacity (or without room
 * for the last message it refused) is "blocked"; `whenRoom()` resolves once no queue is blocked.
 * Memory stays bounded because the runtime stops reading a publisher while it waits, and what was
 * already read waits outside the queues (PublisherInlet).
 */
export class RoomGate {
  private readonly blocked = new Set<TaskQueue>();
  private waiters: (() => void)[] = [];

  /** After queueing into `queue`: false when it now blocks publishers. */
  note(queue: TaskQueue): boolean {
    if (!queue.blocksPublishers) return true;
    this.blocked.add(queue);
    return false;
  }

  /**
   * After taking from (or emptying) `queue`: unblocks it when below capacity, and wakes the
   * waiters when nothing is blocked. Removed tasks and gone pods empty their queues first, so
   * they are always released here.
   */
  release(queue: TaskQueue): void {
    if (!this.blocked.has(queue) || queue.blocksPublishers) return;
    this.blocked.delete(queue);
    if (this.blocked.size > 0 || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  whenRoom(): Promise<void> {
    if (this.blocked.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
