import type { Bus } from '../bus/bus.js';
import { handleSystemCommand } from '../bus/system-commands.js';
import type { TaskSpec } from '../config/types.js';
import type { Readiness } from '../health/readiness.js';
import type { PodLogStore } from '../observe/log-store.js';
import type { OutputSink } from '../pod/output.js';
import { Pod, type GroupRegistry, type PodDeps } from '../pod/pod.js';
import type { ProcessGroups } from '../pod/process-groups.js';
import type { Spawner } from '../pod/spawner.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { openCapturedIO } from './log-capture.js';
import type { PodObserver } from './pod-observers.js';
import type { TaskRegistry } from './task-registry.js';

export interface PodFactoryDeps {
  readonly spawner: Spawner;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly groups: GroupRegistry;
  readonly processGroups?: ProcessGroups;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly output: OutputSink;
  readonly bus: Bus;
  readonly logs: PodLogStore;
  readonly readiness: Readiness;
  readonly tasks: TaskRegistry;
  readonly observe: Required<PodObserver>;
  configDir(): string;
}

/** Makes the run's pods: their IO goes through the bus and the log store, their state changes to the observers. */
export function podFactory(deps: PodFactoryDeps): (spec: TaskSpec, index: number, hooks: Pick<PodDeps, 'onExit'>) => Pod {
  const { bus, logger, readiness } = deps;
  // What the registry needs every pod to carry (the run id), beside the caller's extras.
  const extraEnv = deps.groups.podEnv === undefined ? deps.extraEnv : { ...deps.extraEnv, ...deps.groups.podEnv };
  return (spec, index, hooks) => {
    const pod = new Pod(spec, index, {
      spawner: deps.spawner,
      clock: deps.clock,
      logger,
      groups: deps.groups,
      ...(deps.processGroups === undefined ? {} : { processGroups: deps.processGroups }),
      configDir: deps.configDir(),
      inheritedEnv: deps.env,
      ...(extraEnv === undefined ? {} : { extraEnv }),
      openIO: (p) =>
        openCapturedIO(p, {
          bus,
          output: deps.output,
          logger,
          logs: deps.logs,
          shown: (task, stream) => {
            const current = deps.tasks.get(task)?.taskSpec ?? p.spec;
            return stream === 'stdout' ? current.showStdout : current.showStderr;
          },
          line: (q, text) => readiness.line(q, text),
          system: (q, topic, data) => handleSystemCommand(q, topic, data, { bus, logger, onReady: (r) => readiness.signal(r) }),
        }),
      onState: (p, previous) => deps.observe.state(p, previous),
      onExit: hooks.onExit,
    });
    deps.tasks.podCreated(pod);
    return pod;
  };
}
