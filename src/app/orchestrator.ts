import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import type { OrchestratorConfig, TaskSpec } from '../config/types.js';
import { isSuccess } from '../controller/restart-policy.js';
import { ReplicaSetController, type PodEvent, type RolloutOutcome } from '../controller/replica-set.js';
import { createBus, type Bus, type BusEvent, type PodEndpoint } from '../bus/bus.js';
import { GroupGuard } from '../pod/group-guard.js';
import { Pod, type GroupRegistry, type PodDeps } from '../pod/pod.js';
import type { ProcessGroups } from '../pod/process-groups.js';
import type { PodState } from '../pod/pod-state.js';
import { nodeSpawner, type Spawner } from '../pod/spawner.js';
import { warnIfFdLimitTight } from '../pod/fd-warning.js';
import { TaskNotFoundError, StoppingError } from './errors.js';
import { EventLog } from '../observe/event-log.js';
import { TaskFileWatcher } from '../reload/file-watch.js';
import { openCapturedIO } from './log-capture.js';
import { PodLogStore } from '../observe/log-store.js';
import type { OutputSink } from '../pod/output.js';
import { applyConfig, type ReloadSummary } from '../reload/reload.js';
import { handleSystemCommand } from '../bus/system-commands.js';
import { logBusEvent, logPodExit, logPodTransition, podEventJson } from '../observe/lifecycle-log.js';
import { DependencyGate } from '../jobs/dependency-gate.js';
import { Readiness } from '../health/readiness.js';
import { QueueSignals } from '../observe/queue-signals.js';
import type { DiscardReason } from '../observe/drop-report.js';
import { RunRecord } from '../observe/run-record.js';
import { jobState, taskStatus } from '../jobs/task-status.js';
import { isJob, runOutcome, shutdownLevels, type JobState, type TaskStatus } from '../jobs/index.js';
import { formatSummaryTable, type JUnitOutputLine, type JUnitReport, reportName } from '../report/index.js';
import { repeatEvery, systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export interface OrchestratorOptions {
  readonly config: OrchestratorConfig;
  readonly logger: Logger;
  readonly output: OutputSink;
  readonly spawner?: Spawner;
  readonly clock?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Added to every pod's environment (e.g. ORCHESTRATOR_SOCKET). */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Process-group bookkeeping; defaults to a GroupGuard (watchdog + state file) in `<dir>/.orchestrator`. */
  readonly groups?: GroupRegistry & { open?(): void; close?(): void };
  /** How pods signal and probe their process groups; defaults to the real ones. */
  readonly processGroups?: ProcessGroups;
  /**
   * End the run once every job has finished and no message is queued or in flight, stopping the
   * services. Without it, only a run made of jobs alone ends by itself.
   */
  readonly exitOnComplete?: boolean;
}

/** How a run ended. */
export type RunOutcome =
  /** Every job finished (and, with exitOnComplete, the bus drained); `failure` names the first failure, null if all succeeded. */
  | { readonly type: 'completed'; readonly failure: string | null }
  /** Stopped on request (signal, API). */
  | { readonly type: 'stopped'; readonly reason: string };

/** A reload's result: applied (with what changed) or refused (nothing changed). */
export type ReloadResult = { readonly ok: true; readonly summary: ReloadSummary; readonly done: Promise<void> } | { readonly ok: false; readonly error: Error };

/**
 * Wires config, controllers, pods and the message bus together. Owns the run's lifetime: `start`,
 * `stop`, and `done`, which resolves once every process it started is gone; and the run-time
 * operations of the control plane: scale, rolling restart, reload.
 */
export class Orchestrator {
  readonly bus: Bus;
  readonly logs: PodLogStore;
  readonly events: EventLog;
  private config: OrchestratorConfig;
  private readonly controllers = new Map<string, ReplicaSetController>();
  /** Removed tasks whose pods are still stopping; a task re-added under the name waits for them. */
  private readonly removing = new Map<string, Promise<void>>();
  private readonly watcher: TaskFileWatcher;
  private readonly createdAt = new WeakMap<Pod, number>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly groups: NonNullable<OrchestratorOptions['groups']>;
  private started = false;
  private stopping: Promise<void> | null = null;
  private readonly gate: DependencyGate;
  private readonly readiness: Readiness;
  /** When each job first failed or was skipped, so the first failure can be named. */
  private readonly endedAt = new Map<string, number>();
  /** Cancels the completion poll. */
  private drainPoll: (() => void) | null = null;
  /** Drop summaries and stalled-pod detection. */
  private readonly signals: QueueSignals;
  /** Finished jobs whose dispatcher task is closed (see TopicDispatcher.closeTask). */
  private readonly closedJobs = new Set<string>();
  readonly record: RunRecord;
  private resolveDone!: (outcome: RunOutcome) => void;
  readonly done: Promise<RunOutcome> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(private readonly options: OrchestratorOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.logs = new PodLogStore(() => this.clock.now());
    this.events = new EventLog(() => this.clock.now());
    this.groups = options.groups ?? new GroupGuard(join(options.config.dir, '.orchestrator'), this.logger);
    this.bus = createBus({ clock: this.clock, logger: this.logger });
    this.bus.onEvent((event) => this.onBusEvent(event));
    this.watcher = new TaskFileWatcher(this.logger, (task, file) => this.onWatchedFileChanged(task, file), this.clock);
    this.record = new RunRecord(() => this.clock.now());
    this.readiness = new Readiness(this.clock, {
      ready: (pod) => this.onPodReady(pod),
      unhealthy: (pod, reason) => this.restartUnhealthy(pod, reason),
    });
    this.signals = new QueueSignals({
      clock: this.clock,
      logger: this.logger,
      events: this.events,
      stats: () => this.bus.stats(),
      spec: (task) => this.controllers.get(task)?.taskSpec,
      restart: (name, reason) => {
        const pod = this.findPod(name);
        if (pod !== undefined) this.restartUnhealthy(pod, reason);
      },
    });
    this.gate = new DependencyGate(options.config.tasks, {
      logger: this.logger,
      status: (task) => this.taskStatus(task),
      start: (task) => this.release(task),
      skip: (task, reason) => {
        this.record.taskSkipped(task, reason);
        this.events.record({ type: 'task-skipped', task, reason });
        queueMicrotask(() => this.checkCompleted());
      },
    });
    for (const spec of options.config.tasks) this.addTask(spec);
  }

  /** The config applied last (the file as loaded at start or by the last successful reload). */
  get currentConfig(): OrchestratorConfig {
    return this.config;
  }

  /** A failed liveness probe or a stall past stall_timeout: SIGKILL; the controller restarts it. */
  private restartUnhealthy(pod: Pod, reason: string): void {
    this.logger.warn({ pod: pod.name, reason }, `${pod.name}: ${reason}; restarting it`);
    this.events.record({ type: 'pod-unhealthy', task: pod.spec.name, pod: pod.name, reason });
    pod.kill();
  }

  /** When the pod's current stall began (epoch ms), null if it reads its stdin. */
  stalledSince(pod: string): number | null {
    return this.signals.stalls.stalledSince(pod);
  }

  /** The task's stalled pods. */
  stalledPods(task: string): number {
    return this.signals.stalls.stalledCount(task);
  }

  /** Messages discarded for the task so far, by reason. */
  discarded(task: string): Partial<Record<DiscardReason, number>> {
    return this.signals.discarded(task);
  }

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  private addTask(spec: TaskSpec): void {
    this.bus.configureTask(spec);
    const controller = new ReplicaSetController(spec, {
      createPod: (s, index, hooks) => this.createPod(s, index, hooks),
      emit: (e) => this.onPodEvent(e),
      clock: this.clock,
      inFlight: (pod) => this.bus.stats().pods[pod.name]?.inFlight ?? 0,
      drain: (pod) => this.bus.drainPod(pod.name),
    });
    this.controllers.set(spec.name, controller);
    this.watcher.configure(spec);
    if (!this.started) return;
    this.gate.update(this.config.tasks.some((t) => t.name === spec.name) ? this.config.tasks : [...this.config.tasks, spec]);
    this.gate.evaluate();
  }

  /** The dependency gate let a task start (its conditions hold). */
  private release(task: string): void {
    const controller = this.controllers.get(task);
    if (controller === undefined) return;
    const removing = this.removing.get(task);
    if (removing === undefined) controller.reconcile();
    else void removing.then(() => controller.reconcile());
  }

  private taskStatus(task: string): TaskStatus {
    const controller = this.controllers.get(task);
    if (controller === undefined) return { state: 'pending' };
    return taskStatus(controller, controller.list().filter((pod) => this.readiness.isReady(pod)).length, this.readiness.everRan(task));
  }

  private async removeTask(name: string): Promise<void> {
    const controller = this.controllers.get(name);
    if (controller === undefined) return;
    this.controllers.delete(name);
    this.closedJobs.delete(name);
    this.watcher.remove(name);
    // No new messages are routed to it; its pods finish what they hold, then the queue goes.
    this.bus.configureTask({ ...controller.taskSpec, subscribe: [] });
    const removal = controller.scale(0).then(() => {
      if (!this.controllers.has(name)) {
        this.bus.removeTask(name);
        this.signals.drops.flush(name);
      }
      this.removing.delete(name);
      this.events.record({ type: 'task-removed', task: name });
    });
    this.removing.set(name, removal);
    await removal;
  }

  private createPod(spec: TaskSpec, index: number, hooks: Pick<PodDeps, 'onExit'>): Pod {
    const deps: PodDeps = {
      spawner: this.options.spawner ?? nodeSpawner,
      clock: this.clock,
      logger: this.logger,
      groups: this.groups,
      ...(this.options.processGroups === undefined ? {} : { processGroups: this.options.processGroups }),
      configDir: this.config.dir,
      inheritedEnv: this.options.env ?? process.env,
      ...(this.options.extraEnv === undefined ? {} : { extraEnv: this.options.extraEnv }),
      openIO: (pod) =>
        openCapturedIO(pod, {
          bus: this.bus,
          output: this.options.output,
          logger: this.logger,
          logs: this.logs,
          shown: (task, stream) => {
            const current = this.controllers.get(task)?.taskSpec ?? pod.spec;
            return stream === 'stdout' ? current.showStdout : current.showStderr;
          },
          line: (p, text) => this.readiness.line(p, text),
          system: (p, topic, data) => handleSystemCommand(p, topic, data, { bus: this.bus, logger: this.logger, onReady: (r) => this.readiness.signal(r) }),
        }),
      onState: (pod, previous) => this.onPodState(pod, previous),
      onExit: hooks.onExit,
    };
    const pod = new Pod(spec, index, deps);
    this.createdAt.set(pod, this.clock.now());
    return pod;
  }

  /** Ready per the task's `ready` setting (and so receiving messages). */
  isReady(pod: Pod): boolean {
    return this.readiness.isReady(pod);
  }

  /** Where a task stands: for `orchestrator wait` and `tasks -o json`. */
  taskState(task: string): 'waiting' | 'running' | 'ready' | 'completed' | 'failed' | 'skipped' {
    if (this.gate.isSkipped(task) !== null) return 'skipped';
    if (!this.gate.isReleased(task)) return 'waiting';
    const status = this.taskStatus(task);
    if (status.state === 'running') return status.ready ? 'ready' : 'running';
    return status.state === 'pending' ? 'running' : status.state;
  }

  /** When the pod's replica slot was created (epoch ms), for `ps` AGE. */
  podCreatedAt(pod: Pod): number {
    return this.createdAt.get(pod) ?? this.clock.now();
  }

  /**
   * Connects the bus, then starts every task its dependencies allow. A stop requested while the bus
   * connects wins: no pod is started. Rejects (starting nothing) when the bus cannot start.
   */
  async start(): Promise<void> {
    await this.bus.start();
    if (this.stopping !== null) return;
    this.started = true;
    this.groups.open?.();
    warnIfFdLimitTight(this.config.tasks, this.logger);
    this.signals.start();
    this.gate.evaluate();
    this.checkCompleted();
  }

  controllerList(): ReplicaSetController[] {
    return [...this.controllers.values()];
  }

  private controllerOf(task: string): ReplicaSetController {
    if (this.stopping !== null) throw new StoppingError();
    const controller = this.controllers.get(task);
    if (controller === undefined) throw new TaskNotFoundError(task, [...this.controllers.keys()]);
    return controller;
  }

  /**
   * Sets a task's replica count. New pods start at once; surplus pods (idle ones first) stop
   * receiving, finish their messages and stop. Resolves when the surplus pods are gone.
   * Throws TaskNotFoundError / StoppingError before changing anything.
   */
  scale(task: string, replicas: number): Promise<void> {
    const controller = this.controllerOf(task);
    const from = controller.replicas;
    if (from !== replicas) {
      this.events.record({ type: 'scaled', task, from, to: replicas });
      this.logger.info({ task, from, to: replicas }, `${task} scaled from ${from} to ${replicas}`);
    }
    return controller.scale(replicas);
  }

  /** Rolling restart of a task: one replica at a time, each replacement running before the old pod is drained and stopped. */
  restart(task: string, reason = 'restart requested'): Promise<RolloutOutcome> {
    const controller = this.controllerOf(task);
    return this.rollout(controller, controller.taskSpec, 'all', reason);
  }

  private rollout(controller: ReplicaSetController, spec: TaskSpec, which: 'all' | 'outdated', reason: string): Promise<RolloutOutcome> {
    this.events.record({ type: 'rollout-started', task: spec.name, reason });
    this.logger.info({ task: spec.name, reason }, `${spec.name}: rolling restart (${reason})`);
    return controller.rollout(spec, which).then((outcome) => {
      this.events.record({ type: 'rollout-finished', task: spec.name, replaced: outcome.replaced, superseded: outcome.type === 'superseded' });
      return outcome;
    });
  }

  /**
   * Re-reads tasks.toml and applies the difference (see `applyConfig`). An invalid file changes
   * nothing: the error (a ConfigError with line numbers) is logged and returned.
   */
  reload(trigger: string): ReloadResult {
    if (this.stopping !== null) return { ok: false, error: new StoppingError() };
    let next: OrchestratorConfig;
    try {
      next = loadConfig(this.config.file, this.options.env === undefined ? {} : { env: this.options.env });
    } catch (error) {
      const problems = error instanceof ConfigError ? error.lines() : (error as Error).message.split('\n');
      this.events.record({ type: 'reload-failed', problems });
      this.logger.error({ trigger }, `reload (${trigger}) failed, nothing changed:\n${(error as Error).message}`);
      return { ok: false, error: error as Error };
    }
    const { summary, done } = applyConfig(this.config, next, {
      controller: (task) => this.controllers.get(task),
      addTask: (spec) => {
        this.addTask(spec);
        this.events.record({ type: 'task-added', task: spec.name });
      },
      removeTask: (task) => this.removeTask(task),
      configureMessaging: (spec) => this.bus.configureTask(spec),
      specChanged: (spec) => {
        this.watcher.configure(spec);
        this.logs.resize(spec.name, spec.logBuffer);
      },
      scale: (task, replicas) => this.scale(task, replicas),
      rollout: (task, spec, reason) => this.rollout(this.controllerOf(task), spec, 'outdated', reason),
    });
    this.config = next;
    const recorded = this.events.record({ type: 'reloaded', ...summary });
    this.logger.info({ trigger, ...summary }, `${recorded.message} (${trigger})`);
    return { ok: true, summary, done };
  }

  /** Config and env files a `--watch` run reloads on. */
  configFiles(): string[] {
    return [this.config.file, ...new Set(this.config.tasks.flatMap((t) => (t.envFile === null ? [] : [t.envFile])))];
  }

  private onWatchedFileChanged(task: string, file: string): void {
    const controller = this.controllers.get(task);
    if (controller === undefined || this.stopping !== null) return;
    this.events.record({ type: 'file-changed', task, file });
    void this.rollout(controller, controller.taskSpec, 'all', `${file} changed`);
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
    this.events.record({ type: 'stopping', reason });
    this.stopping = (async () => {
      const stopReporting = repeatEvery(this.clock, 2000, () => this.reportWaiting());
      try {
        await this.watcher.close();
        await this.stopInOrder(options);
        await Promise.all(this.removing.values());
      } finally {
        stopReporting();
      }
      this.signals.close();
      await this.bus.close();
      this.groups.close?.();
      this.resolveDone({ type: 'stopped', reason });
    })();
    return this.stopping;
  }

  /** Dependents stop before what they depend on; each level stops in parallel. */
  private async stopInOrder(options: { force?: boolean }): Promise<void> {
    this.drainPoll?.();
    for (const level of shutdownLevels(this.config.tasks)) {
      await Promise.all(level.map((task) => this.controllers.get(task)?.stop(options)));
    }
    // Tasks no longer in the config (being removed) are stopped too.
    await Promise.all([...this.controllers.values()].map((c) => c.stop(options)));
  }

  private reportWaiting(): void {
    const waiting = [...this.controllers.values()].flatMap((c) => c.alive()).map((pod) => `${pod.name}${pod.pid === null ? '' : ` (pid ${pod.pid})`}`);
    if (waiting.length > 0) this.logger.info({ waiting }, `still waiting for ${waiting.join(', ')} to stop`);
  }

  private onPodState(pod: Pod, previous: PodState): void {
    const state = pod.state;
    if (state.phase === 'starting') this.logs.newRun(pod.name, pod.spec.name, this.controllers.get(pod.spec.name)?.taskSpec.logBuffer ?? pod.spec.logBuffer);
    if (state.phase === 'running') {
      if (this.closedJobs.delete(pod.spec.name)) this.bus.openTask(pod.spec.name);
      this.events.record({ type: 'pod-started', task: pod.spec.name, pod: pod.name, pid: state.pid });
      this.record.podStarted(pod.spec.name);
      // Probes run with the environment this run was spawned with (set by start() before spawning).
      const env = pod.env;
      if (env !== null) this.readiness.watch(pod, pod.spec, env);
    } else if (previous.phase === 'running' && state.phase === 'stopping') {
      this.readiness.unwatch(pod);
      void this.bus.drainPod(pod.name);
    }
    if ((previous.phase === 'running' || previous.phase === 'stopping') && state.phase !== 'stopping') {
      this.readiness.unwatch(pod);
      this.bus.podGone(pod.name);
      this.signals.stalls.podGone(pod.name);
    }
    if (state.phase === 'stopped') {
      this.events.record({ type: 'pod-stopped', task: pod.spec.name, pod: pod.name, code: state.exit?.code ?? null, signal: state.exit?.signal ?? null });
      this.logs.forget(pod.name);
    }
    this.controllers.get(pod.spec.name)?.observe(pod, this.readiness.isReady(pod));
    logPodTransition(this.logger, pod, previous);
    if (this.bus.hasSubscribers('system.pods')) this.bus.publish('system.pods', podEventJson(pod, previous, this.clock.now()), null);
    if (this.started) this.gate.evaluate();
  }

  /** Ready pods receive messages; depends_on and rollouts wait for readiness too. */
  private onPodReady(pod: Pod): void {
    if (pod.spec.ready.kind !== 'started') this.logger.info({ pod: pod.name }, `${pod.name} is ready`);
    this.events.record({ type: 'pod-ready', task: pod.spec.name, pod: pod.name });
    this.bus.podReady(this.endpoint(pod));
    this.controllers.get(pod.spec.name)?.observe(pod, true);
    if (this.started) this.gate.evaluate();
  }

  private endpoint(pod: Pod): PodEndpoint {
    return { name: pod.name, task: pod.spec.name, write: (chunk) => pod.write(chunk) };
  }

  private onPodEvent(event: PodEvent): void {
    const { pod, exit, restartInMs } = event;
    this.events.record({ type: 'pod-exited', task: pod.spec.name, pod: pod.name, code: exit.code, signal: exit.signal, error: exit.startError, restartInMs });
    const final = restartInMs === null && isJob(pod.spec);
    this.record.podExited(pod.spec.name, pod.name, exit, restartInMs !== null, final ? this.finalRun(pod, event.ranMs) : null);
    logPodExit(this.logger, event);
    queueMicrotask(() => this.checkCompleted());
  }

  /** A job replica's final result for the report: success per success_exit_codes, and its last output. */
  private finalRun(pod: Pod, ranMs: number): { succeeded: boolean; ranMs: number; lines: JUnitOutputLine[] } {
    const lines = this.logs.query({ targets: [pod.name], tail: 50, since: null, previous: false }).map((l) => ({ stream: l.stream, text: l.line }));
    return { succeeded: pod.lastExit !== null && isSuccess(pod.lastExit, pod.spec.successExitCodes), ranMs, lines };
  }

  private onBusEvent(event: BusEvent): void {
    logBusEvent(this.logger, event);
    this.signals.busEvent(event);
    if (event.type === 'dead-lettered') this.events.record({ type: 'dead-lettered', task: event.task, topic: event.message.topic, id: event.message.id, attempts: event.attempts });
    else if (event.type === 'ack-timeout') this.findPod(event.pod)?.kill();
  }

  private findPod(name: string): Pod | undefined {
    for (const controller of this.controllers.values()) for (const pod of controller.list()) if (pod.name === name) return pod;
    return undefined;
  }

  /**
   * Ends the run when its jobs are done: at once for a run made only of jobs, and with
   * exitOnComplete once nothing is queued or in flight either; services are then stopped.
   */
  private checkCompleted(): void {
    if (this.stopping !== null || !this.started) return;
    this.closeFinishedJobs();
    const tasks = this.config.tasks;
    const services = tasks.some((t) => !isJob(t));
    if (services && this.options.exitOnComplete !== true) return;
    const jobs = new Map<string, JobState>();
    for (const task of tasks.filter(isJob)) {
      const skipped = this.gate.isSkipped(task.name);
      const status: TaskStatus = skipped !== null ? { state: 'skipped', reason: skipped } : this.gate.isReleased(task.name) ? this.taskStatus(task.name) : { state: 'pending' };
      if ((status.state === 'failed' || status.state === 'skipped') && !this.endedAt.has(task.name)) this.endedAt.set(task.name, this.clock.now());
      jobs.set(task.name, jobState(status, this.endedAt.get(task.name) ?? this.clock.now()));
    }
    const jobsDone = runOutcome(jobs, 0);
    const outcome = runOutcome(jobs, services ? this.bus.pending() : 0);
    if (outcome.type === 'continue') {
      // Jobs are done but messages are still on their way: no event says when that ends, so look again shortly.
      if (jobsDone.type === 'done' && this.drainPoll === null) this.drainPoll = repeatEvery(this.clock, 50, () => this.checkCompleted());
      return;
    }
    this.drainPoll?.();
    this.drainPoll = null;
    const first = outcome.firstFailure;
    const failure = first === null ? null : `${first.task} ${first.skipped ? 'was skipped' : 'failed'}: ${first.reason}`;
    this.events.record({ type: 'completed', failure });
    this.stopping = (async () => {
      await this.watcher.close();
      if (services) {
        this.logger.info('all jobs finished and nothing is queued: stopping the services');
        await this.stopInOrder({});
      }
      this.signals.close();
      await this.bus.close();
      this.groups.close?.();
      this.resolveDone({ type: 'completed', failure });
    })();
  }

  /**
   * A job that completed, failed or was skipped reads no more: what is queued for it, and what is
   * published to it from now on, is dropped and counted rather than left to hold the run open.
   * A pod of it starting again (scale, restart) reopens it.
   */
  private closeFinishedJobs(): void {
    for (const task of this.config.tasks) {
      if (!isJob(task) || this.closedJobs.has(task.name)) continue;
      const state = this.gate.isSkipped(task.name) !== null ? 'skipped' : this.gate.isReleased(task.name) ? this.taskStatus(task.name).state : 'pending';
      // A job at replicas = 0 that never ran counts as completed, but may still be scaled up to read its queue.
      if (state !== 'failed' && state !== 'skipped' && !(state === 'completed' && this.readiness.everRan(task.name))) continue;
      this.closedJobs.add(task.name);
      this.bus.closeTask(task.name);
      this.signals.drops.flush(task.name, 'job-finished');
    }
  }

  /** The end-of-run table (task, status, replicas, results, restarts, messages, duration). */
  summary(): string {
    const running = (task: string): boolean => (this.controllers.get(task)?.alive().length ?? 0) > 0;
    // Desired replicas as they are now (after any `scale`), not as the file had them.
    const tasks = this.config.tasks.map((t) => ({ ...t, replicas: this.controllers.get(t.name)?.replicas ?? t.replicas }));
    return formatSummaryTable(this.record.summary(tasks, this.bus.stats().tasks, running));
  }

  /** The JUnit report of the run so far, named after tasks.toml relative to `cwd` (see reportName). */
  junitReport(cwd: string = process.cwd()): JUnitReport {
    return this.record.junit(reportName(this.config.file, cwd), this.config.tasks);
  }
}
