import type { SubscriberRoute } from '../routing/topic-broker.js';
import type { MemorySource } from './memory-source.js';

/**
 * The first queue on `route` with overflow = "block" that has no room for a message of `weight`
 * (see `TaskQueue.refuses`), or null when every queue the message would enter takes it. Checked
 * before anything is queued, so a message is admitted into all its queues or into none.
 * `queues[i]` is the queue of `route[i]`'s task (see `taskQueues`). Allocates nothing: it runs for
 * every message a pod publishes.
 */
export function refusingQueue(
  route: SubscriberRoute,
  queues: readonly (MemorySource | undefined)[],
  pods: ReadonlyMap<string, MemorySource>,
  weight: number,
): MemorySource | null {
  for (let i = 0; i < route.length; i++) {
    const queue = queues[i];
    if (queue === undefined) continue;
    const subscribers = route[i]!;
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

/**
 * The task queues of a route, looked up once per route rather than per message: a run of
 * messages on one topic shares its route (the broker's array) and so this answer, until a task
 * is bound or unbound (`forget`) or the subscriptions change (a new route).
 */
export class RouteQueues {
  private route: SubscriberRoute | null = null;
  private queues: (MemorySource | undefined)[] = [];

  constructor(private readonly tasks: ReadonlyMap<string, MemorySource>) {}

  of(route: SubscriberRoute): readonly (MemorySource | undefined)[] {
    if (route === this.route) return this.queues;
    this.route = route;
    this.queues = route.map((subscribers) => this.tasks.get(subscribers.task));
    return this.queues;
  }

  forget(): void {
    this.route = null;
    this.queues = [];
  }
}
