import type { PlainFormat, Transit } from '../routing/transit.js';
import { clearRecipients } from './delivery-policy.js';
import type { TaskState } from './task-state.js';

/**
 * Whether a task can take published messages past its queue (`TaskConsumer.takeNow`): broadcast
 * with a format that needs no id or attempt. Acknowledged delivery (round_robin) holds every
 * message until its reply, and json carries the id: both need the message as an object.
 */
export function takesNow(task: Pick<TaskState, 'spec'>): boolean {
  return task.spec.mode === 'broadcast' && task.spec.stdin !== 'json';
}

/**
 * Delivers `transit` to the task's pods now, as `pumpTask` would have delivered it had it been
 * queued into the (empty) queue and taken at once: the same recipients (the broadcast policy: every
 * accepting pod, only when all are writable), the same counters (`delivered` once per message, per
 * pod once per copy), the same text. False, with nothing done, when the policy chooses nobody
 * (no accepting pod, or one is not writable: the message waits in the queue as usual) or while
 * the task pumps (a message published from inside a write: queued behind what is being written).
 *
 * Messages published during its writes (a synchronous pod) are queued, not taken, so every pod
 * sees one order; they are pumped when it returns.
 */
export function takeNow(task: TaskState, transit: Transit, pump: (task: TaskState) => void): boolean {
  if (task.pumping) return false;
  const { recipients } = task;
  task.policy.select(task.pods, recipients);
  if (recipients.length === 0) return false;
  task.pumping = true;
  try {
    task.counters.delivered++;
    const text = transit.text(task.spec.stdin as PlainFormat);
    for (const pod of recipients) pod.write(text);
  } finally {
    task.pumping = false;
    clearRecipients(recipients);
  }
  if (task.source.length > 0) pump(task);
  return true;
}
