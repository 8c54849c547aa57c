import type { Bus } from '../bus/bus.js';
import type { PodEvent } from '../controller/replica-set.js';
import type { DependencyGate } from '../jobs/dependency-gate.js';
import type { Readiness } from '../health/readiness.js';
import type { EventLog } from '../observe/event-log.js';
import type { PodLogStore } from '../observe/log-store.js';
import type { QueueSignals } from '../observe/queue-signals.js';
import type { RunRecord } from '../observe/run-record.js';
import type { Pod } from '../pod/pod.js';
import type { PodState } from '../pod/pod-state.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { Autoscaling } from './autoscaling.js';
import { autoscaleLink } from './observers/autoscale.js';
import { busLink } from './observers/bus-link.js';
import { completionCheck } from './observers/completion.js';
import { controllerLink } from './observers/controller.js';
import { arrivalEvents, departureEvents } from './observers/event-log.js';
import { gateLink } from './observers/gate.js';
import { jobReopen } from './observers/job-reopen.js';
import { lifecycleLog } from './observers/lifecycle-log.js';
import { logStore } from './observers/log-store.js';
import { readinessLink } from './observers/readiness.js';
import { runRecord } from './observers/run-record.js';
import { stalls } from './observers/stalls.js';
import { systemPods } from './observers/system-pods.js';
import type { TaskRegistry } from './task-registry.js';

export type PodExited = Extract<PodEvent, { type: 'exited' }>;

/** One concern that follows every pod: its state changes, its readiness, its exits. */
export interface PodObserver {
  /** The pod changed state (`pod.state`), after it happened. */
  state?(pod: Pod, previous: PodState): void;
  /** The pod became ready per its task's `ready` setting. */
  ready?(pod: Pod): void;
  /** The controller decided about an exit (restart or final), before the pod's state changes. */
  exited?(event: PodExited): void;
}

export interface PodObserverDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly bus: Bus;
  readonly events: EventLog;
  readonly logs: PodLogStore;
  readonly record: RunRecord;
  readonly readiness: Readiness;
  readonly signals: QueueSignals;
  readonly gate: DependencyGate;
  readonly tasks: TaskRegistry;
  readonly autoscaling: Pick<Autoscaling, 'wake'>;
  /** Whether pods were let start (the gate is evaluated only then). */
  started(): boolean;
  /** The instance name on a NATS bus, null in process. */
  readonly instance: string | null;
  /** Re-checks whether the run is complete. */
  checkCompleted(): void;
}

/**
 * Every pod observer, in the order each event reaches them. The order is part of the behaviour:
 * a job's task reopens before its pod is announced; `pod-started` is recorded before readiness
 * can record `pod-ready` (a `ready = "started"` pod is ready at once); the bus takes back what a
 * gone pod held (dead letters, redeliveries) before `pod-stopped` is recorded, so the event log
 * lists two event-log observers; the controller sees the change after readiness decided; the
 * gate and completion look last, at a fully updated run.
 */
export function podObservers(deps: PodObserverDeps): readonly PodObserver[] {
  return [
    jobReopen(deps),
    arrivalEvents(deps),
    runRecord(deps),
    readinessLink(deps),
    busLink(deps),
    stalls(deps),
    departureEvents(deps),
    logStore(deps),
    controllerLink(deps),
    autoscaleLink(deps),
    lifecycleLog(deps),
    systemPods(deps),
    gateLink(deps),
    completionCheck(deps),
  ];
}

/** Calls the observers in list order. */
export function fanOut(observers: readonly PodObserver[]): Required<PodObserver> {
  return {
    state: (pod, previous) => {
      for (const o of observers) o.state?.(pod, previous);
    },
    ready: (pod) => {
      for (const o of observers) o.ready?.(pod);
    },
    exited: (event) => {
      for (const o of observers) o.exited?.(event);
    },
  };
}
