import type { Bus } from '../bus/bus.js';
import type { Transport } from '../bus/transport.js';
import type { ConfigLoader } from '../config/load-isolated.js';
import type { OrchestratorConfig } from '../config/types.js';
import type { GroupRegistry } from '../pod/pod.js';
import type { OutputSink } from '../pod/output.js';
import type { ProcessGroups } from '../pod/process-groups.js';
import type { Spawner } from '../pod/spawner.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** What an Orchestrator is built from; every side effect can be replaced (tests use src/testing/ fakes). */
export interface OrchestratorOptions {
  readonly config: OrchestratorConfig;
  readonly logger: Logger;
  readonly output: OutputSink;
  /** What pods inherit and `${VAR}` in a reloaded tasks.toml expands from (the CLI passes a copy of process.env, read once). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads tasks.toml again for a reload: `loadConfig`, or (the CLI) `loadConfigIsolated`, which keeps zod out of this process. */
  readonly loadConfig: ConfigLoader;
  readonly spawner?: Spawner;
  readonly clock?: Clock;
  /** Where messages wait (see bus/create-transport.ts); default the in-process transport. Ignored with `bus`. */
  readonly transport?: Transport;
  /** The whole message bus, for tests; default a bus over `transport`. */
  readonly bus?: Bus;
  /** This orchestrator's name among the instances sharing a NATS bus (`system.pods` events carry it); null in process. */
  readonly instance?: string | null;
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
