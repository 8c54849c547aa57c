import type { SubscriberRoute } from '../routing/topic-broker.js';
import type { MemorySource } from './memory-source.js';

/**
 * The first queue on `route` with overflow = "block" that has no room for a message of `weight`
 * (see `TaskQueue.refuses`), or null when every queue the message would enter takes it. Checked
 * before anything is queued, so a message is admitted into all its queues or into none.
 * Allocates nothing: it runs for every message a pod publishes.
 */
export function refusingQueue(
  route: SubscriberRoute,
  tasks: ReadonlyMap<string, MemorySource>,
  pods: ReadonlyMap<string, MemorySource>,
  weight: number,
): MemorySource | null {
  for (let i = 0; i < route.length; i++) {
    const subscribers = route[i]!;
    const queue = tasks.get(subscribers.task);
    if (queue === undefined) continue;
    if (subscribers.taskLevel) {
      if (queue.refuses(weight)) return queue;
      continue;
    }
    for (let j = 0; j < subscribers.pods.length; j++) {
      const own = pods.get(subscribers.pods[j]!);
      if (own !== undefined && own.refuses(weight)) return own;
    }
  }
  return null;
}
