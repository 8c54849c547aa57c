import type { DeliveryMode } from '../../config/types.js';

/**
 * Empties `out` in place. `pop` until empty rather than `out.length = 0`: V8 does not inline the
 * length setter (a runtime call per message on the hot path), while `pop` is inlined.
 */
export function clearRecipients(out: unknown[]): void {
  while (out.length > 0) out.pop();
}

/** What a delivery policy may know about a pod of the task. */
export interface PodView {
  readonly name: string;
  /** Ready and not draining: the pod may be given new messages. */
  readonly accepting: boolean;
  /** Its stdin pipe is not full. */
  readonly writable: boolean;
  /** Unacknowledged messages it holds (always 0 in broadcast mode). */
  readonly inFlight: number;
}

/**
 * Decides who gets the head of a task queue. Implementations are pure apart from their own
 * rotation state; the dispatcher does all the writing.
 *
 * Contract (checked for every implementation by `delivery-policy.case.ts`):
 * - `out` is cleared, then filled with the recipients of the head message; empty means "wait";
 * - never chooses a pod that is not accepting, not writable, or holds `concurrency` messages;
 * - chooses nobody when no pod is accepting;
 * - makes progress: when every accepting pod is writable and idle, somebody is chosen;
 * - chooses each pod at most once per call.
 */
export interface DeliveryPolicy {
  readonly mode: DeliveryMode;
  /** Deliveries must be acknowledged on `<topic>.result` (round_robin) or are done once written. */
  readonly acknowledged: boolean;
  select<P extends PodView>(pods: readonly P[], out: P[]): void;
}

/**
 * Every accepting pod gets a copy, and only when every accepting pod is writable: the slowest
 * pod gates the whole task. That keeps broadcast lossless (no pod ever misses a message because
 * it was slow) and memory bounded (messages wait in the one bounded task queue, whose overflow
 * policy then applies, instead of piling up in per-pod buffers). Non-accepting (draining) pods
 * neither receive nor gate.
 */
export class BroadcastPolicy implements DeliveryPolicy {
  readonly mode = 'broadcast' as const;
  readonly acknowledged = false;

  select<P extends PodView>(pods: readonly P[], out: P[]): void {
    clearRecipients(out);
    for (const pod of pods) {
      if (!pod.accepting) continue;
      if (!pod.writable) {
        clearRecipients(out);
        return;
      }
      out.push(pod);
    }
  }
}

/**
 * Exactly one pod per message: the next pod, in rotation from a cursor, that is accepting,
 * writable and holds fewer than `concurrency` unacknowledged messages. The cursor moves past the
 * chosen pod, so over any run where all pods stay idle the messages split evenly.
 */
export class RoundRobinPolicy implements DeliveryPolicy {
  readonly mode = 'round_robin' as const;
  readonly acknowledged = true;
  private cursor = 0;

  /** @param concurrency >= 1: unacknowledged messages a pod may hold. */
  constructor(readonly concurrency: number) {}

  select<P extends PodView>(pods: readonly P[], out: P[]): void {
    clearRecipients(out);
    const n = pods.length;
    for (let k = 0; k < n; k++) {
      const i = (this.cursor + k) % n;
      const pod = pods[i] as P;
      if (pod.accepting && pod.writable && pod.inFlight < this.concurrency) {
        out.push(pod);
        this.cursor = (i + 1) % n;
        return;
      }
    }
  }
}

export function createDeliveryPolicy(mode: DeliveryMode, concurrency: number): DeliveryPolicy {
  return mode === 'broadcast' ? new BroadcastPolicy() : new RoundRobinPolicy(concurrency);
}
