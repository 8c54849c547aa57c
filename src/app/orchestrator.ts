import { join } from 'node:path';
import { createBus, type Bus } from '../bus/bus.js';
import type { OrchestratorConfig } from '../config/types.js';
import { ReplicaSetController } from '../controller/replica-set.js';
import { Readiness } from '../health/readiness.js';
import { DependencyGate } from '../jobs/dependency-gate.js';
import { shutdownLevels } from '../jobs/index.js';
import { EventLog } from '../observe/event-log.js';
import { PodLogStore } from '../observe/log-store.js';
import { QueueSignals } from '../observe/queue-signals.js';
import { RunRecord } from '../observe/run-record.js';
import { warnIfFdLimitTight } from '../pod/fd-warning.js';
import { GroupGuard } from '../pod/group-guard.js';
import { nodeSpawner } from '../pod/spawner.js';
import { TaskFileWatcher } from '../reload/file-watch.js';
import { reportName, type JUnitReport } from '../report/index.js';
import { systemClock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { Autoscaling } from './autoscaling.js';
import { BusAccounting } from './bus-accounting.js';
import { onBusEvent } from './bus-events.js';
import { onBusNotice } from './bus-notices.js';
import { ClusterDepth } from './cluster-depth.js';
import { Completion } from './completion.js';
import { Operations, type ConfigRef, type ReloadResult } from './operations.js';
import type { OrchestratorOptions } from './options.js';
import { podFactory } from './pod-factory.js';
import { fanOut, podObservers } from './pod-observers.js';
import { RunQueries, type RunView } from './queries.js';
import { summaryTable } from './reports.js';
import { RunLifecycle } from './run-lifecycle.js';
import type { RunOutcome } from './run-outcome.js';
import { TaskRegistry } from './task-registry.js';

export type { RunOutcome } from './run-outcome.js';
export type { ReloadResult } from './operations.js';
export type { OrchestratorOptions } from './options.js';

/**
 * The composition root: builds the run's parts and wires them (pod events reach the ordered
 * observers of pod-observers.ts), and owns the run's lifetime: `start`, `stop` and `done`, which
 * resolves once every process it started is gone. Reads go through `view`, changes through `operations`.
 */
export class Orchestrator {
  readonly bus: Bus;
  /** Topics, dead letters and ack latency (the dashboard's and /metrics' numbers). */
  readonly accounting: BusAccounting;
  readonly logs: PodLogStore;
  readonly events: EventLog;
  private readonly record: RunRecord;
  readonly view: RunView;
  readonly operations: Operations;
  readonly done: Promise<RunOutcome>;
  private readonly config: ConfigRef;
  private readonly tasks = new TaskRegistry();
  private readonly lifecycle: RunLifecycle;
  private readonly groups: NonNullable<OrchestratorOptions['groups']>;
  private readonly logger: Logger;
  private readonly launch: () => void;

  constructor(options: OrchestratorOptions) {
    const { tasks } = this;
    const clock = options.clock ?? systemClock;
    const logger = (this.logger = options.logger);
    this.config = { current: options.config };
    this.groups = options.groups ?? new GroupGuard(join(options.config.dir, '.orchestrator'), logger);
    const accounting = (this.accounting = new BusAccounting(() => clock.now()));
    const rawBus = options.bus ?? createBus({ clock, logger, onAck: accounting.ack, ...(options.transport === undefined ? {} : { transport: options.transport }) });
    const bus = (this.bus = accounting.wrap(rawBus, (pod) => tasks.pod(pod)?.spec.name));
    const events = (this.events = new EventLog(() => clock.now()));
    const logs = (this.logs = new PodLogStore(() => clock.now()));
    const record = (this.record = new RunRecord(() => clock.now()));
    const base = { clock, logger, bus, events, logs, record, tasks };
    const ops = (): Operations => this.operations;
    const watcher = new TaskFileWatcher(logger, (task, file) => ops().fileChanged(task, file), clock);
    const readiness = new Readiness(clock, { ready: (pod) => observe.ready(pod), unhealthy: (pod, reason) => ops().restartUnhealthy(pod, reason) });
    const signals = new QueueSignals({
      ...base,
      stats: () => bus.stats(),
      spec: (task) => tasks.get(task)?.taskSpec,
      restart: (name, reason) => {
        const pod = tasks.pod(name);
        if (pod !== undefined) ops().restartUnhealthy(pod, reason);
      },
    });
    bus.onEvent(onBusEvent({ ...base, signals, killPod: (name) => ops().killPod(name) }));
    bus.onNotice(onBusNotice(base));
    const gate: DependencyGate = new DependencyGate(options.config.tasks, {
      logger,
      status: (task) => queries.state(task),
      start: (task) => ops().release(task),
      skip: (task, reason) => {
        record.taskSkipped(task, reason);
        events.record({ type: 'task-skipped', task, reason });
        queueMicrotask(() => completion.check());
      },
    });
    const autoscaling = new Autoscaling({ ...base, readiness, gate, stopping: () => lifecycle.isStopping });
    // A shared bus's queues live on the server: `tasks` and completion read them from there.
    const depth = bus.kind === 'nats' ? new ClusterDepth({ bus, logger, now: () => clock.now(), intervalMs: 500, changed: () => completion.check() }) : null;
    const queries: RunQueries = new RunQueries({ tasks, readiness, gate, bus, signals, autoscaling, ...(depth === null ? {} : { depth: (task: string) => depth.of(task) }) });
    this.view = queries;
    const lifecycle = (this.lifecycle = new RunLifecycle(clock, {
      closeWatchers: () => {
        autoscaling.close();
        return watcher.close();
      },
      stopPods: (o) => this.stopInOrder(o),
      removals: () => tasks.removals(),
      escalate: () => {
        for (const pod of tasks.alive()) void pod.stop({ force: true });
      },
      reportWaiting: () => this.reportWaiting(),
      closeBus: () => {
        signals.close();
        depth?.close();
        return bus.close();
      },
      closeGroups: () => this.groups.close?.(),
    }));
    this.done = lifecycle.done;
    const started = (): boolean => lifecycle.hasStarted;
    const completion = new Completion({ ...base, signals, readiness, queries, lifecycle, exitOnComplete: options.exitOnComplete === true, config: () => this.config.current, elsewhere: (since) => (depth === null ? 0 : depth.totalSince(since)) });
    const observe = fanOut(podObservers({ ...base, readiness, signals, gate, autoscaling, started, instance: options.instance ?? null, checkCompleted: () => completion.check() }));
    const createPod = podFactory({ ...options, ...base, spawner: options.spawner ?? nodeSpawner, groups: this.groups, readiness, observe, configDir: () => this.config.current.dir });
    this.operations = new Operations({
      ...base,
      config: this.config,
      env: options.env,
      loadConfig: options.loadConfig,
      gate,
      signals,
      watcher,
      autoscaling,
      stopping: () => lifecycle.isStopping,
      started,
      newController: (spec) =>
        new ReplicaSetController(spec, {
          createPod,
          emit: (event) => observe.exited(event),
          clock,
          inFlight: (pod) => bus.stats().pods[pod.name]?.inFlight ?? 0,
          drain: (pod) => bus.drainPod(pod.name),
          replaceExited: (pod) => autoscaling.replaceExited(pod),
        }),
    });
    for (const spec of options.config.tasks) this.operations.addTask(spec);
    this.launch = () => {
      this.groups.open?.();
      warnIfFdLimitTight(this.config.current.tasks, logger);
      signals.start();
      depth?.start();
      gate.evaluate();
      completion.check();
    };
  }

  /** The config applied last (the file as loaded at start or by the last successful reload). */
  get currentConfig(): OrchestratorConfig {
    return this.config.current;
  }

  /** A stop or completion is under way (or over): the run takes no more changes. */
  get isStopping(): boolean {
    return this.lifecycle.isStopping;
  }

  /**
   * Connects the bus, then starts every task its dependencies allow. A stop requested while the bus
   * connects wins: no pod is started. Rejects (starting nothing) when the bus cannot start.
   */
  async start(): Promise<void> {
    if (this.lifecycle.phase.phase !== 'idle') return;
    if (await this.lifecycle.start(this.bus.start())) this.launch();
  }

  /**
   * Stops every pod (stop_signal, SIGKILL after grace_period; at once with `force`), dependents
   * first. A second call with `force` escalates a stop under way; a run that already completed
   * keeps its outcome.
   */
  stop(reason: string, options: { force?: boolean } = {}): Promise<void> {
    if (!this.lifecycle.isStopping) this.events.record({ type: 'stopping', reason });
    return this.lifecycle.finish({ type: 'stopped', reason }, { stopServices: true, ...options });
  }

  /** See Operations.reload. */
  reload(trigger: string): Promise<ReloadResult> {
    return this.operations.reload(trigger);
  }

  /** Config and env files a `--watch` run reloads on. */
  configFiles(): string[] {
    const { file, tasks } = this.config.current;
    const { files } = this.config.current;
    return [...new Set([file, ...files, ...tasks.flatMap((t) => (t.envFile === null ? [] : [t.envFile]))])];
  }

  /** Dependents stop before what they depend on; each level stops in parallel. */
  private async stopInOrder(options: { force: boolean }): Promise<void> {
    for (const level of shutdownLevels(this.config.current.tasks)) {
      await Promise.all(level.map((task) => this.tasks.get(task)?.stop(options)));
    }
    // Tasks no longer in the config (being removed) are stopped too.
    await Promise.all(this.tasks.list().map((c) => c.stop(options)));
  }

  private reportWaiting(): void {
    const waiting = this.tasks.alive().map((pod) => `${pod.name}${pod.pid === null ? '' : ` (pid ${pod.pid})`}`);
    if (waiting.length > 0) this.logger.info({ waiting }, `still waiting for ${waiting.join(', ')} to stop`);
  }

  /** The end-of-run table (task, status, replicas, results, restarts, messages, duration). */
  summary(): string {
    return summaryTable(this.record, this.config.current, this.tasks, this.bus);
  }

  /** The JUnit report of the run so far, named after tasks.toml relative to `cwd` (see reportName). */
  junitReport(cwd: string): JUnitReport {
    return this.record.junit(reportName(this.config.current.file, cwd), this.config.current.tasks);
  }
}
