import type { Message } from '../../protocol/types.js';
import type { Logger } from '../../util/logger.js';
import type { TopicBroker } from '../routing/index.js';
import type { TaskConsumer } from '../transport.js';
import type { DispatchTaskSpec } from '../types.js';
import type { TaskRecord } from './names.js';
import type { NatsTransportParts } from './nats-transport.js';
import type { Outbox } from './outbox.js';
import type { RouteTarget } from './router.js';
import { ensureTask, taskDurable, type TaskSetup } from './task-setup.js';
import { NatsTaskSource } from './task-source.js';

interface LocalTask extends TaskSetup {
  readonly source: NatsTaskSource;
}

export interface TaskTableContext {
  readonly parts: NatsTransportParts;
  readonly broker: TopicBroker;
  readonly outbox: Outbox;
  readonly logger: Logger;
  closed(): boolean;
  /** Keeps async work for `settled` and close. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Publishes `<topic>.dead`; resolves once every subscribing stream stored it. */
  deadLetter(message: Message): Promise<void>;
  /** A message reached this instance for a closed task. */
  droppedClosed(task: string, message: Message): void;
}

const READY: Promise<void> = Promise.resolve();

/**
 * The project's tasks as this instance sees them: its own (each with its stream, durable and
 * source) and those other instances registered (routing and overflow only). Keeps the broker's
 * task subscriptions in step: a local spec routes; a remote record routes a task this instance
 * does not run.
 */
export class TaskTable {
  private readonly local = new Map<string, LocalTask>();
  private readonly remote = new Map<string, TaskRecord>();

  constructor(private readonly ctx: TaskTableContext) {}

  get(task: string): NatsTaskSource | undefined {
    return this.local.get(task)?.source;
  }

  *sources(): Iterable<[string, NatsTaskSource]> {
    for (const [task, local] of this.local) yield [task, local.source];
  }

  target(task: string): RouteTarget | undefined {
    const local = this.local.get(task);
    if (local !== undefined) return { spec: local.source.spec, ready: local.ready };
    const record = this.remote.get(task);
    return record === undefined ? undefined : { spec: record.spec, ready: READY };
  }

  bind(spec: DispatchTaskSpec, consumer: TaskConsumer): NatsTaskSource {
    const { parts, broker } = this.ctx;
    broker.setTaskSubscriptions(spec.name, spec.subscribe); // validates before any change
    const existing = this.local.get(spec.name);
    if (existing !== undefined) {
      const old = existing.source.spec;
      existing.source.spec = spec;
      existing.source.consumer = consumer;
      if (JSON.stringify(old) !== JSON.stringify(spec)) existing.ready = this.ctx.track(ensureTask(parts, spec, existing, this.ctx.closed));
      return existing.source;
    }
    const local: LocalTask = { source: null as unknown as NatsTaskSource, ready: READY, consumer: null, stale: false };
    const source = new NatsTaskSource(spec, consumer, {
      logger: this.ctx.logger,
      outbox: this.ctx.outbox,
      nc: parts.nc,
      pullSubject: `$JS.API.CONSUMER.MSG.NEXT.${parts.names.taskStream(spec.name)}.${parts.names.durable(spec.name, spec.mode)}`,
      consumer: () => (local.consumer ??= taskDurable(parts, local)),
      pullFailed: () => {
        local.consumer = null;
        local.stale = true;
      },
      deadLetter: this.ctx.deadLetter,
      droppedClosed: (message) => this.ctx.droppedClosed(spec.name, message),
    });
    (local as { source: NatsTaskSource }).source = source;
    this.local.set(spec.name, local);
    local.ready = this.ctx.track(ensureTask(parts, spec, local, this.ctx.closed));
    return source;
  }

  /** The queue is the project's: what this instance held goes back for the others (nak). */
  unbind(task: string): void {
    const local = this.local.get(task);
    if (local === undefined) return;
    this.local.delete(task);
    const record = this.remote.get(task);
    if (record === undefined) this.ctx.broker.removeTask(task);
    else this.ctx.broker.setTaskSubscriptions(task, record.spec.subscribe);
    local.source.stop();
  }

  /** From the registry watch: a task some instance registered, changed, or removed. */
  readonly onRegistered = (task: string, record: TaskRecord | null): void => {
    if (record === null) this.remote.delete(task);
    else this.remote.set(task, record);
    if (this.local.has(task)) return; // the local spec routes
    try {
      if (record === null) this.ctx.broker.removeTask(task);
      else this.ctx.broker.setTaskSubscriptions(task, record.spec.subscribe);
    } catch (error) {
      this.ctx.logger.warn({ err: error, task }, `task "${task}" registered on the bus with an invalid subscription; not routed to`);
    }
  };
}
