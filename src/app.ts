import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TopicBroker } from './broker/index.js';
import type { OrchestratorConfig, TaskSpec } from './config/types.js';
import { describeExit } from './controller/restart-policy.js';
import { ReplicaSetController, type PodEvent } from './controller/replica-set.js';
import { TopicDispatcher, type DispatcherEvent, type PodEndpoint } from './dispatcher/index.js';
import { GroupGuard } from './pod/group-guard.js';
import { Pod, type GroupRegistry, type PodDeps } from './pod/pod.js';
import type { PodState } from './pod/pod-state.js';
import { execaSpawner, type Spawner } from './pod/spawner.js';
import type { OutputSink } from './runtime/output.js';
import { openPodIO } from './runtime/pod-io.js';
import { handleSystemCommand } from './runtime/system-commands.js';
import { systemClock, type Clock } from './util/clock.js';
import type { Logger } from './util/logger.js';

export interface OrchestratorOptions {
  readonly config: OrchestratorConfig;
  readonly logger: Logger;
  readonly output: OutputSink;
  readonly spawner?: Spawner;
  readonly clock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Process-group bookkeeping; defaults to a GroupGuard (watchdog + state file) in `<dir>/.orchestrator`. */
  readonly groups?: GroupRegistry & { open?(): void; close?(): void };
}

/** How a run ended. */
export type RunOutcome =
  /** Every pod finished on its own; `failed` names the pods whose last run failed. */
  | { readonly type: 'completed'; readonly failed: readonly string[] }
  /** Stopped on request (signal, API). */
  | { readonly type: 'stopped'; readonly reason: string };

/**
 * Wires config, controllers, pods and the message bus together. Owns the run's lifetime: `start`,
 * `stop`, and `done`, which resolves once every process it started is gone.
 */
export class Orchestrator {
  readonly broker = new TopicBroker();
  readonly dispatcher: TopicDispatcher;
  private readonly controllers = new Map<string, ReplicaSetController>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly groups: NonNullable<OrchestratorOptions['groups']>;
  private stopping: Promise<void> | null = null;
  private resolveDone!: (outcome: RunOutcome) => void;
  readonly done: Promise<RunOutcome> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(private readonly options: OrchestratorOptions) {
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.groups = options.groups ?? new GroupGuard(join(options.config.dir, '.orchestrator'), this.logger);
    this.dispatcher = new TopicDispatcher(this.broker, {
      now: () => this.clock.now(),
      newId: () => randomUUID(),
      logger: this.logger,
      setTimer: (fn, ms) => this.clock.setTimeout(fn, ms),
      clearTimer: (handle) => this.clock.clearTimeout(handle as never),
      onEvent: (event) => this.onDispatcherEvent(event),
    });
    for (const spec of options.config.tasks) this.addTask(spec);
  }

  private addTask(spec: TaskSpec): void {
    this.dispatcher.configureTask(spec);
    const controller = new ReplicaSetController(spec, (s, index, hooks) => this.createPod(s, index, hooks), (e) => this.onPodEvent(e));
    this.controllers.set(spec.name, controller);
  }

  private createPod(spec: TaskSpec, index: number, hooks: Pick<PodDeps, 'onExit'>): Pod {
    const deps: PodDeps = {
      spawner: this.options.spawner ?? execaSpawner,
      clock: this.clock,
      logger: this.logger,
      groups: this.groups,
      configDir: this.options.config.dir,
      inheritedEnv: this.options.env ?? process.env,
      openIO: (pod) =>
        openPodIO(pod, {
          dispatcher: this.dispatcher,
          broker: this.broker,
          output: this.options.output,
          logger: this.logger,
          system: (p, topic, data) => handleSystemCommand(p, topic, data, { dispatcher: this.dispatcher, logger: this.logger, onReady: () => {} }),
        }),
      onState: (pod, previous) => this.onPodState(pod, previous),
      onExit: hooks.onExit,
    };
    return new Pod(spec, index, deps);
  }

  start(): void {
    this.groups.open?.();
    for (const controller of this.controllers.values()) controller.reconcile();
    this.checkCompleted();
  }

  controllerList(): ReplicaSetController[] {
    return [...this.controllers.values()];
  }

  /**
   * Stops every pod in parallel (stop_signal, SIGKILL after grace_period; at once with `force`).
   * A second call with `force` escalates a stop already under way.
   */
  stop(reason: string, options: { force?: boolean } = {}): Promise<void> {
    if (this.stopping !== null) {
      if (options.force === true) for (const c of this.controllers.values()) for (const pod of c.alive()) void pod.stop({ force: true });
      return this.stopping;
    }
    this.stopping = (async () => {
      const reporter = setInterval(() => this.reportWaiting(), 2000);
      try {
        await Promise.all([...this.controllers.values()].map((c) => c.stop(options)));
      } finally {
        clearInterval(reporter);
      }
      this.groups.close?.();
      this.resolveDone({ type: 'stopped', reason });
    })();
    return this.stopping;
  }

  private reportWaiting(): void {
    const waiting = [...this.controllers.values()].flatMap((c) => c.alive()).map((pod) => `${pod.name}${pod.pid === null ? '' : ` (pid ${pod.pid})`}`);
    if (waiting.length > 0) this.logger.info({ waiting }, `still waiting for ${waiting.join(', ')} to stop`);
  }

  private onPodState(pod: Pod, previous: PodState): void {
    const state = pod.state;
    if (state.phase === 'running') {
      this.dispatcher.podReady(this.endpoint(pod));
    } else if (previous.phase === 'running' && state.phase === 'stopping') {
      void this.dispatcher.drainPod(pod.name);
    }
    if ((previous.phase === 'running' || previous.phase === 'stopping') && state.phase !== 'stopping') {
      this.dispatcher.podGone(pod.name);
    }
    this.publishPodEvent(pod, previous);
  }

  private endpoint(pod: Pod): PodEndpoint {
    return { name: pod.name, task: pod.spec.name, write: (chunk) => pod.write(chunk) };
  }

  private onPodEvent(event: PodEvent): void {
    const log = this.logger.child({ pod: event.pod.name });
    if (event.type === 'exited') {
      const what = describeExit(event.exit);
      if (event.restartInMs === null) {
        const level = event.pod.state.phase === 'succeeded' || event.exit.code === 0 ? 'info' : 'warn';
        log[level]({ exit: event.exit }, `${event.pod.name}: ${what}`);
      } else {
        const when = event.restartInMs === 0 ? 'restarting now' : `restarting in ${formatSeconds(event.restartInMs)}`;
        log.warn({ exit: event.exit, restartInMs: event.restartInMs }, `${event.pod.name}: ${what}; ${when}`);
      }
      queueMicrotask(() => this.checkCompleted());
    }
  }

  private publishPodEvent(pod: Pod, previous: PodState): void {
    const state = pod.state;
    const log = this.logger.child({ pod: pod.name });
    if (state.phase === 'running') log.info({ pid: state.pid }, `${pod.name} started (pid ${state.pid})`);
    else if (state.phase === 'stopping') log.info({ pid: state.pid }, `${pod.name} stopping (${pod.spec.stopSignal}, grace ${formatSeconds(pod.spec.gracePeriodMs)})`);
    else if (state.phase === 'stopped' && (previous.phase === 'stopping' || previous.phase === 'running')) {
      log.info({ exit: state.exit }, `${pod.name} stopped${state.exit === null ? '' : ` (${describeExit(state.exit)})`}`);
    }
    if (!this.broker.hasSubscribers('system.pods')) return;
    const event: Record<string, unknown> = { pod: pod.name, task: pod.spec.name, event: state.phase, from: previous.phase, at: this.clock.now() };
    if (state.phase === 'running' || state.phase === 'stopping') event.pid = state.pid;
    if ('exit' in state && state.exit !== null) Object.assign(event, { code: state.exit.code, signal: state.exit.signal, error: state.exit.startError });
    if (state.phase === 'backoff') Object.assign(event, { code: state.lastExit.code, signal: state.lastExit.signal, restartInMs: state.delayMs });
    this.dispatcher.publish('system.pods', JSON.stringify(event), null);
  }

  private onDispatcherEvent(event: DispatcherEvent): void {
    const topic = event.message.topic;
    switch (event.type) {
      case 'dead-lettered':
        this.logger.error({ task: event.task, topic, id: event.message.id, attempts: event.attempts }, `message ${event.message.id} on "${topic}" for ${event.task} dead-lettered to "${topic}.dead" after ${event.attempts} deliveries`);
        return;
      case 'ack-timeout': {
        this.logger.warn({ pod: event.pod, topic, elapsedMs: event.elapsedMs }, `${event.pod} did not acknowledge "${topic}" within ack_timeout (${event.elapsedMs}ms); restarting it`);
        this.findPod(event.pod)?.kill();
        return;
      }
      case 'dropped':
      case 'rejected':
        this.logger.warn({ task: event.task, pod: event.pod, topic, reason: 'reason' in event ? event.reason : 'overflow' }, `message on "${topic}" for ${event.task} ${event.type === 'rejected' ? 'rejected: queue full (overflow = "reject")' : `dropped (${event.reason})`}`);
        return;
    }
  }

  private findPod(name: string): Pod | undefined {
    for (const controller of this.controllers.values()) for (const pod of controller.list()) if (pod.name === name) return pod;
    return undefined;
  }

  /** A run whose tasks all finish on their own ends when the last pod is done. */
  private checkCompleted(): void {
    if (this.stopping !== null) return;
    const controllers = [...this.controllers.values()];
    // A task with restart = "always" is a service: it keeps the run alive until stopped.
    if (controllers.some((c) => c.taskSpec.restart === 'always') || !controllers.every((c) => c.settled())) return;
    const failed = controllers.flatMap((c) => c.failedPods()).map((pod) => pod.name);
    this.stopping = (async () => {
      this.groups.close?.();
      this.resolveDone({ type: 'completed', failed });
    })();
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
}
