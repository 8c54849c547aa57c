import type { SubscriberRoute } from '../routing/topic-broker.js';
import type { DeliveryPod } from '../dispatcher/delivery-pod.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskState } from '../dispatcher/task-state.js';

/**
 * The first queue on `route` with overflow = "block" that has no room for a message of `weight`
 * (see `TaskQueue.refuses`), or null when every queue the message would enter takes it. Checked
 * before anything is queued, so a message is admitted into all its queues or into none.
 * Allocates nothing: it runs for every message a pod publishes.
 */
export function refusingQueue(
  route: SubscriberRoute,
  tasks: ReadonlyMap<string, TaskState>,
  pods: ReadonlyMap<string, DeliveryPod>,
  weight: number,
): TaskQueue | null {
  for (let i = 0; i < route.length; i++) {
    const subscribers = route[i]!;
    const task = tasks.get(subscribers.task);
    if (task === undefined) continue;
    if (subscribers.taskLevel) {
      if (task.queue.refuses(weight)) return task.queue;
      continue;
    }
    for (let j = 0; j < subscribers.pods.length; j++) {
      const pod = pods.get(subscribers.pods[j]!);
      if (pod !== undefined && pod.own.refuses(weight)) return pod.own;
    }
  }
  return null;
}
