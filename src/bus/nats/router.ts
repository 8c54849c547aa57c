import type { Message } from '../../protocol/types.js';
import type { TopicBroker } from '../routing/index.js';
import type { TransportEvent } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import type { LatestWriter } from './latest-writer.js';
import { encodeEnvelope, type ProjectNames } from './names.js';
import type { Observers } from './observers.js';
import type { JetStreamPublisher } from './publisher.js';

/** A subscribing task as routing sees it: its messaging keys and when its stream exists. */
export interface RouteTarget {
  readonly spec: Pick<DispatchTaskSpec, 'overflow'>;
  readonly ready: Promise<void>;
}

export interface RouterContext {
  readonly broker: TopicBroker;
  readonly names: ProjectNames;
  readonly publisher: JetStreamPublisher;
  readonly observers: Observers;
  readonly latestWrites: LatestWriter<{ readonly envelope: Buffer; readonly id: string }>;
  /** A local task (its spec routes) or one another instance registered; undefined: unknown. */
  target(task: string): RouteTarget | undefined;
  emit(event: TransportEvent): void;
}

/**
 * Where a message goes: one publish per subscribing task's stream (routing is ours, the same
 * TopicBroker as in process, over the patterns every instance registered), the latest stream,
 * and the observer subject.
 */
export class Router {
  constructor(private readonly ctx: RouterContext) {}

  /** Resolves with whether every subscribing task's stream stored it. */
  route(message: Message): Promise<boolean> {
    const { names, broker } = this.ctx;
    const envelope = encodeEnvelope(message);
    this.ctx.observers.publish(envelope);
    const sends: Promise<boolean>[] = [];
    for (const subscribers of broker.subscribersByTask(message.topic)) {
      if (!subscribers.taskLevel) continue;
      const target = this.ctx.target(subscribers.task);
      if (target !== undefined) sends.push(this.send(subscribers.task, target, message, envelope));
    }
    this.ctx.latestWrites.write(names.latestSubject(message.topic), { envelope, id: message.id });
    return Promise.all(sends).then((stored) => stored.every(Boolean));
  }

  /**
   * Only to `task`'s stream (a dead-letter retry): no other task, no observer, no latest write.
   * False when no instance registered the task; else resolves with whether its stream stored it.
   */
  routeTo(task: string, message: Message): Promise<boolean> | false {
    const target = this.ctx.target(task);
    return target === undefined ? false : this.send(task, target, message, encodeEnvelope(message));
  }

  private send(task: string, target: RouteTarget, message: Message, envelope: Buffer): Promise<boolean> {
    const { names, publisher } = this.ctx;
    return publisher.send(names.taskSubject(task), envelope, names.msgId(message.id, task), target.spec.overflow, target.ready).then((outcome) => {
      if (outcome === 'rejected') this.ctx.emit({ type: 'rejected', task, pod: null, message });
      return outcome === 'stored';
    });
  }

  /** A publish from the orchestrator (dead letters) that resolves once every subscribing stream stored it. */
  async publishConfirmed(message: Message): Promise<void> {
    if (!(await this.route(message))) throw new Error(`"${message.topic}" was refused by a full queue`);
  }
}
