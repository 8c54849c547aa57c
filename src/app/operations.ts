import type { Bus } from '../bus/bus.js';
import { ConfigError } from '../config/errors.js';
import type { ConfigLoader } from '../config/load-isolated.js';
import type { OrchestratorConfig, TaskSpec } from '../config/types.js';
import type { ReplicaSetController, RolloutOutcome } from '../controller/replica-set.js';
import type { DependencyGate } from '../jobs/dependency-gate.js';
import type { EventLog } from '../observe/event-log.js';
import type { PodLogStore } from '../observe/log-store.js';
import type { QueueSignals } from '../observe/queue-signals.js';
import type { Pod } from '../pod/pod.js';
import type { TaskFileWatcher } from '../reload/file-watch.js';
import { applyConfig, type ReloadHost, type ReloadSummary } from '../reload/reload.js';
import type { Logger } from '../util/logger.js';
import type { Autoscaling } from './autoscaling.js';
import { AutoscaledTaskError, PodNotFoundError, PodNotRunningError, StoppingError, TaskNotFoundError } from './errors.js';
import type { TaskRegistry } from './task-registry.js';
import { busChangeWarning } from './bus-settings.js';

/** A reload's result: applied (with what changed) or refused (nothing changed). */
export type ReloadResult = { readonly ok: true; readonly summary: ReloadSummary; readonly done: Promise<void> } | { readonly ok: false; readonly error: Error };

/** The config applied last (the file as loaded at start or by the last successful reload). */
export interface ConfigRef {
  current: OrchestratorConfig;
}

export interface OperationsDeps {
  readonly config: ConfigRef;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads and validates tasks.toml for a reload (throws ConfigError). */
  readonly loadConfig: ConfigLoader;
  readonly logger: Logger;
  readonly events: EventLog;
  readonly logs: PodLogStore;
  readonly bus: Bus;
  readonly tasks: TaskRegistry;
  readonly gate: DependencyGate;
  readonly signals: QueueSignals;
  /** Task-file watchers (`watch` keys): they follow added, changed and removed tasks. */
  readonly watcher: Pick<TaskFileWatcher, 'configure' | 'remove'>;
  /** Autoscaled pools follow added, changed and removed tasks. */
  readonly autoscaling: Pick<Autoscaling, 'configure' | 'remove' | 'wake'>;
  /** The run takes no more changes. */
  stopping(): boolean;
  /** Pods were let start: new tasks go through the gate at once. */
  started(): boolean;
  newController(spec: TaskSpec): ReplicaSetController;
}

/**
 * The run-time operations of the control plane and of reload: scale, rolling restart, reload,
 * adding and removing tasks, killing a pod. Each checks before it changes anything.
 */
export class Operations implements ReloadHost {
  /** The reload under way (settled when none): the next one waits for it. */
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OperationsDeps) {}

  controller(task: string): ReplicaSetController | undefined {
    return this.deps.tasks.get(task);
  }

  /** Configures messaging for the task and, once the run has started, lets the gate start it. */
  addTask(spec: TaskSpec): void {
    const { bus, tasks, config, gate } = this.deps;
    bus.configureTask(spec);
    tasks.add(this.deps.newController(spec));
    this.deps.autoscaling.configure(spec);
    this.deps.watcher.configure(spec);
    if (!this.deps.started()) return;
    gate.update(config.current.tasks.some((t) => t.name === spec.name) ? config.current.tasks : [...config.current.tasks, spec]);
    gate.evaluate();
  }

  /** The dependency gate let a task start (its conditions hold); a re-added task waits for its removal. */
  release(task: string): void {
    const controller = this.deps.tasks.get(task);
    if (controller === undefined) return;
    const removing = this.deps.tasks.removal(task);
    const go = (): void => {
      controller.reconcile();
      // An autoscaled pool at zero may have messages waiting since before its dependencies held.
      this.deps.autoscaling.wake(task);
    };
    if (removing === undefined) go();
    else void removing.then(go);
  }

  /** Stops routing to the task, drains and stops its pods, then forgets it. */
  async removeTask(name: string): Promise<void> {
    const { tasks, bus, events } = this.deps;
    const controller = tasks.get(name);
    if (controller === undefined) return;
    tasks.delete(name);
    this.deps.autoscaling.remove(name);
    this.deps.watcher.remove(name);
    // No new messages are routed to it; its pods finish what they hold, then the queue goes.
    bus.configureTask({ ...controller.taskSpec, subscribe: [] });
    const removal = controller.scale(0).then(() => {
      if (tasks.get(name) === undefined) {
        bus.removeTask(name);
        this.deps.signals.drops.flush(name);
      }
      tasks.removalDone(name);
      events.record({ type: 'task-removed', task: name });
    });
    tasks.trackRemoval(name, removal);
    await removal;
  }

  configureMessaging(spec: TaskSpec): void {
    this.deps.bus.configureTask(spec);
  }

  specChanged(spec: TaskSpec): void {
    this.deps.autoscaling.configure(spec);
    this.deps.watcher.configure(spec);
    this.deps.logs.resize(spec.name, spec.logBuffer);
  }

  private controllerOf(task: string): ReplicaSetController {
    if (this.deps.stopping()) throw new StoppingError();
    const controller = this.deps.tasks.get(task);
    if (controller === undefined) throw new TaskNotFoundError(task, this.deps.tasks.names());
    return controller;
  }

  /**
   * Sets a task's replica count. New pods start at once; surplus pods (idle ones first) stop
   * receiving, finish their messages and stop. Resolves when the surplus pods are gone.
   * Throws TaskNotFoundError / StoppingError before changing anything.
   */
  scale(task: string, replicas: number): Promise<void> {
    const controller = this.controllerOf(task);
    const bounds = controller.taskSpec.autoscale;
    if (bounds !== null) throw new AutoscaledTaskError(task, bounds);
    const from = controller.replicas;
    if (from !== replicas) {
      this.deps.events.record({ type: 'scaled', task, from, to: replicas });
      this.deps.logger.info({ task, from, to: replicas }, `${task} scaled from ${from} to ${replicas}`);
    }
    return controller.scale(replicas);
  }

  /** Rolling restart of a task: one replica at a time, each replacement running before the old pod is drained and stopped. */
  restart(task: string, reason = 'restart requested'): Promise<RolloutOutcome> {
    const controller = this.controllerOf(task);
    return this.roll(controller, controller.taskSpec, 'all', reason);
  }

  /** A reload changed the task's pod template: replace the pods that do not run `spec`. */
  rollout(task: string, spec: TaskSpec, reason: string): Promise<RolloutOutcome> {
    return this.roll(this.controllerOf(task), spec, 'outdated', reason);
  }

  private roll(controller: ReplicaSetController, spec: TaskSpec, which: 'all' | 'outdated', reason: string): Promise<RolloutOutcome> {
    this.deps.events.record({ type: 'rollout-started', task: spec.name, reason });
    this.deps.logger.info({ task: spec.name, reason }, `${spec.name}: rolling restart (${reason})`);
    return controller.rollout(spec, which).then((outcome) => {
      this.deps.events.record({ type: 'rollout-finished', task: spec.name, replaced: outcome.replaced, superseded: outcome.type === 'superseded' });
      return outcome;
    });
  }

  /** A task's watched file changed: roll its pods (ignored once the run is stopping). */
  fileChanged(task: string, file: string): void {
    const controller = this.deps.tasks.get(task);
    if (controller === undefined || this.deps.stopping()) return;
    this.deps.events.record({ type: 'file-changed', task, file });
    void this.roll(controller, controller.taskSpec, 'all', `${file} changed`);
  }

  /**
   * Re-reads tasks.toml and applies the difference (see `applyConfig`). An invalid file changes
   * nothing: the error (a ConfigError with line numbers) is logged and returned. Reloads run one
   * after another, each against the config the one before applied.
   */
  reload(trigger: string): Promise<ReloadResult> {
    const result = this.reloading.then(() => this.reloadNow(trigger));
    this.reloading = result.then(
      () => {},
      () => {},
    );
    return result;
  }


  private async reloadNow(trigger: string): Promise<ReloadResult> {
    if (this.deps.stopping()) return { ok: false, error: new StoppingError() };
    const { config, events, logger } = this.deps;
    let next: OrchestratorConfig;
    try {
      next = await this.deps.loadConfig(config.current.file, { env: this.deps.env });
    } catch (error) {
      const problems = error instanceof ConfigError ? error.lines() : (error as Error).message.split('\n');
      events.record({ type: 'reload-failed', problems });
      logger.error({ trigger }, `reload (${trigger}) failed, nothing changed:\n${(error as Error).message}`);
      return { ok: false, error: error as Error };
    }
    // A stop that began while the file was read wins: nothing is started any more.
    if (this.deps.stopping()) return { ok: false, error: new StoppingError() };
    for (const warning of next.warnings) logger.warn({ trigger }, warning);
    const busChange = busChangeWarning(config.current.bus, next.bus);
    if (busChange !== null) {
      logger.warn({ trigger }, busChange);
      next = { ...next, bus: config.current.bus };
    }
    const { summary, done } = applyConfig(config.current, next, {
      controller: (task) => this.controller(task),
      addTask: (spec) => {
        this.addTask(spec);
        events.record({ type: 'task-added', task: spec.name });
      },
      removeTask: (task) => this.removeTask(task),
      configureMessaging: (spec) => this.configureMessaging(spec),
      specChanged: (spec) => this.specChanged(spec),
      scale: (task, replicas) => this.scale(task, replicas),
      rollout: (task, spec, reason) => this.rollout(task, spec, reason),
    });
    config.current = next;
    const recorded = events.record({ type: 'reloaded', ...summary });
    logger.info({ trigger, ...summary }, `${recorded.message} (${trigger})`);
    return { ok: true, summary, done };
  }

  /** A failed liveness probe, a stall past stall_timeout: SIGKILL, logged and recorded; the controller restarts it. */
  restartUnhealthy(pod: Pod, reason: string): void {
    this.deps.logger.warn({ pod: pod.name, reason }, `${pod.name}: ${reason}; restarting it`);
    this.deps.events.record({ type: 'pod-unhealthy', task: pod.spec.name, pod: pod.name, reason });
    pod.kill();
  }

  /**
   * `orchestrator kill POD`: the pod's stop_signal (SIGKILL with `force`) to its group, recorded as
   * `pod-killed`. The pod is not stopped: its exit is an ordinary one, so its controller restarts
   * it per its policy and its messages are redelivered. Throws before signalling anything.
   */
  kill(name: string, force: boolean): { pod: string; task: string; signal: string } {
    if (this.deps.stopping()) throw new StoppingError();
    const pod = this.deps.tasks.pod(name);
    if (pod === undefined) throw new PodNotFoundError(name, this.deps.tasks.list().flatMap((c) => c.list().map((p) => p.name)));
    const signal: NodeJS.Signals = force ? 'SIGKILL' : pod.spec.stopSignal;
    if (!pod.signal(signal)) throw new PodNotRunningError(name, pod.state.phase);
    this.deps.events.record({ type: 'pod-killed', task: pod.spec.name, pod: name, signal });
    this.deps.logger.info({ pod: name, signal }, `${name}: killed on request (${signal})`);
    return { pod: name, task: pod.spec.name, signal };
  }

  /** SIGKILL to the named pod's group (an ack timeout; the exit restarts it per its policy). */
  killPod(name: string): void {
    this.deps.tasks.pod(name)?.kill();
  }
}
