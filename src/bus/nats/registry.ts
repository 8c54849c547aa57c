import type { KV } from '@nats-io/kv';
import type { Logger } from '../../util/logger.js';
import type { DispatchTaskSpec } from '../types.js';
import { NatsDuplicateInstanceError, NatsTaskMismatchError } from './errors.js';
import { differingKeys, parseTaskRecord, taskRecord, type ProjectNames, type TaskRecord } from './names.js';

/** Liveness TTL of an instance key and how often it is refreshed. */
export const LIVE_TTL_MS = 15_000;
export const LIVE_REFRESH_MS = 5_000;

/**
 * The project's shared state in KV: which tasks exist with which messaging keys (so every
 * instance routes to every task and they agree on its stream), and which instances are alive
 * (a duplicate instance name is refused while the first is alive).
 */
export class Registry {
  private refresh: NodeJS.Timeout | null = null;
  private stopWatch: (() => void) | null = null;

  constructor(
    private readonly state: KV,
    private readonly live: KV,
    private readonly names: ProjectNames,
    private readonly project: string,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  /** Claims the instance name (refused while another live orchestrator holds it), then keeps it alive. */
  async claimInstance(): Promise<void> {
    try {
      await this.live.create(this.names.liveKey, JSON.stringify({ since: Date.now() }));
    } catch {
      throw new NatsDuplicateInstanceError(this.project, this.instance);
    }
    this.refresh = setInterval(() => {
      this.live.put(this.names.liveKey, JSON.stringify({ at: Date.now() })).catch((error: unknown) => this.logger.debug({ err: error }, 'instance liveness refresh failed (retried)'));
    }, LIVE_REFRESH_MS);
    this.refresh.unref();
  }

  /** Throws NatsTaskMismatchError naming the differing keys when the project registered `spec` differently. */
  async verify(spec: DispatchTaskSpec): Promise<void> {
    const registered = await this.registered(spec.name);
    if (registered === null) return;
    const ours = taskRecord(spec);
    if (registered.fingerprint === ours.fingerprint) return;
    throw new NatsTaskMismatchError(this.project, spec.name, differingKeys(registered.spec, ours.spec));
  }

  /** Registers (or, on a reload, updates) the task; true when the project had it with other keys. */
  async register(spec: DispatchTaskSpec): Promise<boolean> {
    const record = taskRecord(spec);
    const registered = await this.registered(spec.name);
    if (registered?.fingerprint === record.fingerprint) return false;
    await this.state.put(this.names.taskKey(spec.name), JSON.stringify(record));
    return registered !== null;
  }

  /** Follows every instance's task registrations (current ones first). */
  async watchTasks(onTask: (task: string, record: TaskRecord | null) => void): Promise<void> {
    const watch = await this.state.watch({ key: 'tasks.>' });
    this.stopWatch = () => watch.stop();
    void (async () => {
      for await (const entry of watch) {
        const task = entry.key.slice('tasks.'.length);
        onTask(task, entry.operation === 'PUT' ? parseTaskRecord(entry.value) : null);
      }
    })().catch((error: unknown) => this.logger.warn({ err: error }, 'bus task registry watch ended'));
  }

  /** Stops refreshing; `release` frees the instance name at once (a graceful stop). */
  async close(release = true): Promise<void> {
    if (this.refresh !== null) clearInterval(this.refresh);
    this.refresh = null;
    this.stopWatch?.();
    if (release) await this.live.delete(this.names.liveKey).catch(() => undefined);
  }

  private async registered(task: string): Promise<TaskRecord | null> {
    const entry = await this.state.get(this.names.taskKey(task));
    if (entry === null || entry.operation !== 'PUT') return null;
    return parseTaskRecord(entry.value);
  }
}
