import type { DeliveryPod } from './delivery-pod.js';
import type { TaskState } from './task-state.js';

/** Credit a broadcast task or a pod's own queue offers while nothing gates it (a fetch size). */
export const OPEN_CREDIT = 64;

/**
 * How many more deliveries the task's pods could take right now, for `TaskSource.want`:
 * round_robin: the free slots (concurrency - held) of accepting, writable pods; broadcast:
 * OPEN_CREDIT unless an accepting pod is unwritable (it gates the task) or none accepts.
 */
export function credit(task: TaskState): number {
  const pods = task.pods;
  let n = 0;
  if (!task.policy.acknowledged) {
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i] as DeliveryPod;
      if (!pod.accepting) continue;
      if (!pod.writable) return 0;
      n = OPEN_CREDIT;
    }
    return n;
  }
  const concurrency = task.spec.concurrency;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i] as DeliveryPod;
    if (pod.accepting && pod.writable && pod.inFlight < concurrency) n += concurrency - pod.inFlight;
  }
  return n;
}
