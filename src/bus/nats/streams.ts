import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type ConsumerConfig, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import type { DispatchTaskSpec } from '../types.js';
import { ENVELOPE_OVERHEAD, type ProjectNames } from './names.js';
import type { NatsBusSettings } from './options.js';

const NS_PER_MS = 1_000_000;
/** Dedupe window of Nats-Msg-Id: long enough for a publish parked by `block` or a reconnect. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;
/** Most retained topics and bytes (like the in-process retained store's bounds: 10,000 topics, 64 Mi UTF-16 code units). */
const LATEST_MAX_TOPICS = 10_000;
const LATEST_MAX_BYTES = 128 * 1024 * 1024;

/**
 * The stream of one task: round_robin is a WorkQueue (one shared durable takes each message once),
 * broadcast an Interest stream (one durable per instance; kept until every instance took it).
 * Limits map max_queue / max_queue_bytes; drop_oldest discards old, block and reject discard new
 * (the publisher sees 10077 and parks or reports the message).
 */
export function streamConfig(names: ProjectNames, settings: NatsBusSettings, spec: DispatchTaskSpec, maxMessageSize: number): StreamConfig {
  return {
    name: names.taskStream(spec.name),
    subjects: [names.taskSubject(spec.name)],
    retention: spec.mode === 'round_robin' ? RetentionPolicy.Workqueue : RetentionPolicy.Interest,
    storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: settings.replicas,
    max_msgs: spec.maxQueue,
    max_bytes: Math.max(spec.maxQueueBytes, maxMessageSize + ENVELOPE_OVERHEAD),
    discard: spec.overflow === 'drop_oldest' ? DiscardPolicy.Old : DiscardPolicy.New,
    duplicate_window: DUPLICATE_WINDOW_MS * NS_PER_MS,
  } as StreamConfig;
}

/**
 * The task's durable pull consumer. `ack_wait` is the instance lease (renewed with working()
 * while a pod holds the message); `max_ack_pending` is unlimited because delivery stops silently
 * at that cap: local credit bounds what is pulled instead. `max_deliver` is only a backstop: the
 * orchestrator dead-letters after max_deliveries itself.
 */
export function consumerConfig(names: ProjectNames, settings: NatsBusSettings, spec: DispatchTaskSpec): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    durable_name: names.durable(spec.name, spec.mode),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: settings.leaseMs * NS_PER_MS,
    max_deliver: spec.maxDeliveries + 1,
    max_ack_pending: -1,
    max_waiting: 512,
  };
  if (spec.mode === 'broadcast') config.inactive_threshold = settings.instanceTtlMs * NS_PER_MS;
  return config;
}

/** One message per topic; the oldest-updated topics go first past either bound (every message is retained in NATS mode). */
export function latestStreamConfig(names: ProjectNames, settings: NatsBusSettings, maxMessageSize: number): StreamConfig {
  return {
    name: names.latestStream,
    subjects: [names.latestFilter],
    retention: RetentionPolicy.Limits,
    storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: settings.replicas,
    max_msgs_per_subject: 1,
    max_msgs: LATEST_MAX_TOPICS,
    max_bytes: Math.max(LATEST_MAX_BYTES, maxMessageSize + ENVELOPE_OVERHEAD),
    discard: DiscardPolicy.Old,
  } as StreamConfig;
}

const UPDATABLE_STREAM_KEYS = ['subjects', 'max_msgs', 'max_bytes', 'discard', 'num_replicas', 'duplicate_window', 'max_msgs_per_subject'] as const;

/** Creates the stream, or updates its limits when they changed (a reload). */
export async function ensureStream(jsm: JetStreamManager, config: StreamConfig): Promise<void> {
  let existing: StreamConfig | null = null;
  try {
    existing = (await jsm.streams.info(config.name)).config;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (existing === null) {
    await jsm.streams.add(config);
    return;
  }
  if (existing.retention !== config.retention) {
    throw new Error(`stream ${config.name} has retention "${existing.retention}", this task needs "${config.retention}" (its mode changed): stop every instance of the project and delete the stream to change a task's mode`);
  }
  const changed = UPDATABLE_STREAM_KEYS.some((key) => JSON.stringify(existing[key]) !== JSON.stringify(config[key]));
  if (changed) await jsm.streams.update(config.name, config);
}

export async function ensureConsumer(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>): Promise<void> {
  const durable = config.durable_name as string;
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, config);
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; api_error?: { err_code?: number } } | null;
  const code = e?.api_error?.err_code;
  return code === 10059 || code === 10014 || (typeof e?.message === 'string' && /not found/i.test(e.message));
}
