import { clearRecipients } from './delivery-policy.js';
import type { Delivery } from '../transport.js';
import type { DeliveryPod } from './delivery-pod.js';
import type { TaskState } from './task-state.js';

/** Takes a queue head that cannot be delivered in the task's stdin format (see pumpTask). */
export type Undeliverable = (task: TaskState, entry: Delivery, reason: string) => void;

/**
 * Why `entry` cannot be delivered to the task: with `stdin = "payload"` and acknowledged delivery
 * (round_robin) its data must be one line, or a reply-per-line worker would answer it more than
 * once and acknowledge messages it was never given. Null when it can.
 */
export function lineProblem(task: TaskState, entry: Delivery): string | null {
  return task.policy.acknowledged && task.spec.stdin === 'payload' ? entry.parcel.payloadProblem() : null;
}

/**
 * Delivers from the task queue while its policy finds recipients. Re-entrant calls (a fake or
 * synchronous pod replying inside `write`) return at once: the running loop re-evaluates the
 * policy before every message, so it sees whatever the nested call changed.
 *
 * A head with a `lineProblem` goes to `undeliverable` instead (the dispatcher also checks on
 * enqueue; this catches what was queued before a reload made the task payload round_robin).
 */
export function pumpTask(task: TaskState, undeliverable: Undeliverable): void {
  if (task.pumping) return;
  task.pumping = true;
  const { source: queue, recipients } = task;
  try {
    while (queue.length > 0) {
      const policy = task.policy;
      const problem = lineProblem(task, queue.peek() as Delivery);
      if (problem !== null) {
        undeliverable(task, queue.shift() as Delivery, problem);
        continue;
      }
      policy.select(task.pods, recipients);
      if (recipients.length === 0) break;
      const entry = queue.shift() as Delivery;
      task.counters.delivered++;
      const { parcel, attempt } = entry;
      const format = task.spec.stdin;
      if (policy.acknowledged) {
        const pod = recipients[0] as DeliveryPod;
        pod.held.add(entry); // before writing: a synchronous reply must find it
        pod.write(parcel.chunk(format, attempt));
      } else {
        const chunk = parcel.chunk(format, attempt, recipients.length > 1);
        for (const pod of recipients) pod.write(chunk);
      }
    }
  } finally {
    task.pumping = false;
    clearRecipients(recipients);
  }
}

/** Delivers the pod's own (pod-level subscription / replay) queue while it accepts and is writable. */
export function pumpOwn(pod: DeliveryPod): void {
  if (pod.pumping) return;
  pod.pumping = true;
  try {
    while (pod.own.length > 0 && pod.accepting && pod.writable) {
      const entry = pod.own.shift() as Delivery;
      pod.write(entry.parcel.chunk(pod.format, entry.attempt));
    }
  } finally {
    pod.pumping = false;
  }
}

/**
 * Splits the unacknowledged entries of a gone pod: those delivered fewer than `maxDeliveries`
 * times go back (order kept; the source's `retry` increments their attempt), the others are dead.
 * One rule for every transport.
 */
export function partitionRedelivery(
  held: readonly Delivery[],
  maxDeliveries: number,
): { readonly back: Delivery[]; readonly dead: Delivery[] } {
  const back: Delivery[] = [];
  const dead: Delivery[] = [];
  for (const entry of held) {
    if (entry.attempt >= maxDeliveries) {
      dead.push(entry);
    } else {
      back.push(entry);
    }
  }
  return { back, dead };
}
