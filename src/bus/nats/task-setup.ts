import type { Consumer } from '@nats-io/jetstream';
import type { DispatchTaskSpec } from '../types.js';
import type { NatsTransportParts } from './nats-transport.js';
import { consumerConfig, ensureConsumer, ensureStream, streamConfig } from './streams.js';

/** Between attempts to set up a task's stream while the server refuses or is away. */
const SETUP_RETRY_MS = 1_000;

/** What the transport keeps per local task about its stream and durable. */
export interface TaskSetup {
  /** Its stream and durable exist (publishes to it wait for this); never rejects. */
  ready: Promise<void>;
  consumer: Promise<Consumer> | null;
  /** A pull failed: the durable may be gone (an idle broadcast durable expires), so it is ensured again. */
  stale: boolean;
}

type Parts = Pick<NatsTransportParts, 'jsm' | 'js' | 'names' | 'settings' | 'registry' | 'deps' | 'maxMessageSize'>;

/**
 * Creates or updates the task's stream, durable and registration; retried while the server
 * refuses or is away (logged once) until `closed()`, so `ready` never rejects.
 */
export async function ensureTask(parts: Parts, spec: DispatchTaskSpec, task: TaskSetup, closed: () => boolean): Promise<void> {
  const { jsm, names, settings, registry, deps } = parts;
  for (let failures = 0; !closed(); failures++) {
    try {
      const stream = streamConfig(names, settings, spec, parts.maxMessageSize);
      await ensureStream(jsm, stream);
      await ensureConsumer(jsm, stream.name, consumerConfig(names, settings, spec));
      task.consumer = null;
      if (await registry.register(spec)) deps.logger.warn({ task: spec.name }, `${spec.name}: its messaging keys changed; the project's stream and consumer were updated for every instance`);
      return;
    } catch (error) {
      if (failures === 0) deps.logger.error({ err: error, task: spec.name }, `${spec.name}: cannot set up its queue on the NATS bus (retrying): ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, SETUP_RETRY_MS).unref());
    }
  }
}

/** The task's durable, ensured again after a failed pull. */
export async function taskDurable(parts: Parts, task: TaskSetup & { readonly source: { readonly spec: DispatchTaskSpec } }): Promise<Consumer> {
  const { jsm, js, names, settings } = parts;
  const spec = task.source.spec;
  try {
    await task.ready;
    if (task.stale) {
      await ensureConsumer(jsm, names.taskStream(spec.name), consumerConfig(names, settings, spec));
      task.stale = false;
    }
    return await js.consumers.get(names.taskStream(spec.name), names.durable(spec.name, spec.mode));
  } catch (error) {
    task.consumer = null;
    throw error;
  }
}
