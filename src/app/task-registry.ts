import type { ReplicaSetController } from '../controller/replica-set.js';
import type { Pod } from '../pod/pod.js';

/**
 * The run's tasks: one controller each, by name, and the pods they made, by pod name (O(1):
 * a name points at its replica slot, and counts only while that controller still holds the pod).
 */
export class TaskRegistry {
  private readonly controllers = new Map<string, ReplicaSetController>();
  private readonly podSlots = new Map<string, { readonly task: string; readonly pod: Pod }>();
  /** Removed tasks whose pods are still stopping; a task re-added under the name waits for them. */
  private readonly removing = new Map<string, Promise<void>>();

  get(task: string): ReplicaSetController | undefined {
    return this.controllers.get(task);
  }

  add(controller: ReplicaSetController): void {
    this.controllers.set(controller.name, controller);
  }

  delete(task: string): void {
    this.controllers.delete(task);
  }

  /** Controllers in the order their tasks were added. */
  list(): ReplicaSetController[] {
    return [...this.controllers.values()];
  }

  names(): string[] {
    return [...this.controllers.keys()];
  }

  podCreated(pod: Pod): void {
    this.podSlots.set(pod.name, { task: pod.spec.name, pod });
  }

  /** The pod of that name the run still holds (leaving ones included). */
  pod(name: string): Pod | undefined {
    const slot = this.podSlots.get(name);
    if (slot === undefined) return undefined;
    return this.controllers.get(slot.task)?.podAt(slot.pod.index) === slot.pod ? slot.pod : undefined;
  }

  /** Every pod that has not finished for good, for shutdown. */
  alive(): Pod[] {
    return this.list().flatMap((c) => c.alive());
  }

  removal(task: string): Promise<void> | undefined {
    return this.removing.get(task);
  }

  /** Tracks a removal until it settles. */
  trackRemoval(task: string, removal: Promise<void>): void {
    this.removing.set(task, removal);
  }

  removalDone(task: string): void {
    this.removing.delete(task);
  }

  /** Resolves once every removal under way now has finished. */
  removals(): Promise<void> {
    return Promise.all(this.removing.values()).then(() => undefined);
  }
}
