/**
 * The validated, fully-defaulted configuration. Produced once by `loadConfig`; nothing downstream
 * re-parses or re-defaults. All durations are milliseconds, all paths absolute.
 */

import type { StdinFormat } from '../protocol/types.js';

// The stdin format belongs to the protocol; config re-exports it because a task spec names it.
export type { StdinFormat };

export type RestartPolicy = 'always' | 'on-failure' | 'never';
export type DeliveryMode = 'broadcast' | 'round_robin';
/** What a full task queue does with one more message. `block` pauses the publishers instead. */
export type OverflowPolicy = 'block' | 'drop_oldest' | 'reject';

/**
 * Variables that differ per pod. In `command`, `cwd`, `env` and probe exec/http/tcp they are kept
 * at load time and filled in when a pod starts, with the values the pod also gets in its
 * environment (`ORCHESTRATOR_POD_ID` is new for every process start).
 */
export const POD_VARIABLES = ['ORCHESTRATOR_TASK', 'ORCHESTRATOR_POD', 'ORCHESTRATOR_REPLICA', 'ORCHESTRATOR_POD_ID'] as const;
export type PodVariable = (typeof POD_VARIABLES)[number];

/** Text that mentions per-pod variables: literal pieces and references, in order. */
export interface PodTemplate {
  readonly parts: readonly (string | { readonly variable: PodVariable })[];
}

/** A configured string: plain when it mentions no per-pod variable, else a template. */
export type PodText = string | PodTemplate;

export interface BackoffSpec {
  /** Delay before the second consecutive restart; the first restart is immediate. */
  readonly baseMs: number;
  /** Upper bound of any delay. */
  readonly maxMs: number;
  /** A run at least this long resets the consecutive-failure count. */
  readonly resetAfterMs: number;
}

export interface TaskSpec {
  readonly name: string;
  /** argv; with `shell = true` it is `["/bin/sh", "-c", <command string>]`. Never empty. */
  readonly command: readonly PodText[];
  readonly shell: boolean;
  /** Absolute working directory (a template stays absolute once filled in). */
  readonly cwd: PodText;
  /** env_file values overlaid by `env` values (the inherited environment is added at spawn). */
  readonly env: Readonly<Record<string, PodText>>;
  /** Absolute path of env_file, if any (watched for reload). */
  readonly envFile: string | null;
  /** >= 0. For an autoscaled task: `autoscale.min` (the count it starts with). */
  readonly replicas: number;
  /** round_robin only: the pod count follows the queue within these bounds instead of `replicas`. */
  readonly autoscale: AutoscaleSpec | null;
  readonly restart: RestartPolicy;
  readonly gracePeriodMs: number;
  readonly stopSignal: NodeJS.Signals;
  readonly backoff: BackoffSpec;
  /** Whether the pod's stdout / stderr log lines are shown on the terminal. */
  readonly showStdout: boolean;
  readonly showStderr: boolean;
  /** Keep the pod's SGR colour sequences on a colour terminal (all other escapes are always neutralised). */
  readonly colors: boolean;

  // Messaging (docs/protocol.md)
  /** Topic patterns, NATS-style: `*` one token, `>` the rest. */
  readonly subscribe: readonly string[];
  readonly mode: DeliveryMode;
  readonly stdin: StdinFormat;
  /** round_robin: unacknowledged messages a pod may hold. >= 1 */
  readonly concurrency: number;
  /** null: no timeout. */
  readonly ackTimeoutMs: number | null;
  /** A pod whose stdin stays full this long while messages wait is restarted; null: never. */
  readonly stallTimeoutMs: number | null;
  /** >= 1: after this many failed deliveries the message goes to `<topic>.dead`. */
  readonly maxDeliveries: number;
  /** >= 1: per subscribing task. */
  readonly maxQueue: number;
  /**
   * >= 1: per subscribing task, the queued data (characters of topic + data: bytes for ASCII)
   * past which the overflow policy applies, like `maxQueue`. An empty queue takes any message.
   */
  readonly maxQueueBytes: number;
  readonly overflow: OverflowPolicy;
  readonly replayLatest: boolean;
  /** Each pod gets the `<topic>.result` replies to the messages it published itself (one copy, to it alone). */
  readonly receiveReplies: boolean;
  /** Where plain stdout / stderr lines are published (when anyone subscribes): default `<task>.stdout` / `<task>.stderr`. */
  readonly stdoutTopic: string;
  readonly stderrTopic: string;
  /** Bytes; a longer line or block from this task's pods is rejected. */
  readonly maxMessageSize: number;

  // Jobs, dependencies and health (CI runner)
  /** Exit codes that count as success. Default [0]. */
  readonly successExitCodes: readonly number[];
  /**
   * Restarts of one replica before it counts as failed (a job replica: the job has failed).
   * Unset: 6 for on-failure, null (unlimited) for always; always 0 for never.
   */
  readonly maxRestarts: number | null;
  /**
   * Task name → condition; every condition must hold before this task's pods start. Names exist,
   * there are no cycles or self-dependencies, and `completed` never names a restart = "always" task.
   */
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>;
  readonly ready: ReadinessSpec;
  /** Liveness probe: a pod failing it is restarted (subject to restart policy and backoff). */
  readonly alive: ProbeSpec | null;

  // Control plane
  /** Glob patterns relative to cwd; a change rolls the task's pods. */
  readonly watch: readonly string[];
  /** Globs never watched, in addition to node_modules and .git. */
  readonly watchIgnore: readonly string[];
  readonly watchDebounceMs: number;
  /** Output lines kept in memory per pod for `orchestrator logs`. Default 1000. */
  readonly logBuffer: number;
}

/** `autoscale = { min, max, idle }`: 0 <= min <= max, max >= 1. */
export interface AutoscaleSpec {
  readonly min: number;
  readonly max: number;
  /** A pod with nothing in flight this long is drained and stopped (while above min). */
  readonly idleMs: number;
}

/** A dependency holds once the named task's pods are `started`, `ready`, or have all `completed` successfully. */
export type DependencyCondition = 'started' | 'ready' | 'completed';

/** What a probe checks, as configured: per-pod variables are filled in for each pod (see ProbeAction). */
export type ProbeActionSpec =
  | { readonly kind: 'exec'; readonly command: readonly PodText[] }
  | { readonly kind: 'http'; readonly url: PodText }
  /** A templated port must render to 1–65535, else the check fails. */
  | { readonly kind: 'tcp'; readonly host: PodText; readonly port: number | PodTemplate };

/** What a probe checks against one pod. `exec` runs with the pod's cwd and environment; success = exit 0. */
export type ProbeAction =
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  /** Success = a 2xx or 3xx response. */
  | { readonly kind: 'http'; readonly url: string }
  /** Success = the connection opens. */
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface ProbeSpec<Action = ProbeActionSpec> {
  readonly action: Action;
  /** Between the end of one check and the start of the next. Default 1s. */
  readonly periodMs: number;
  /** A check taking longer fails. Default 1s. */
  readonly timeoutMs: number;
  /** Consecutive failures before the probe counts as failed (liveness: pod restarted). Default 3. */
  readonly failureThreshold: number;
}

/** When a pod counts as ready (receives messages, satisfies `depends_on = { x = "ready" }`). */
export type ReadinessSpec<Action = ProbeActionSpec> =
  /** Once spawned (the default). */
  | { readonly kind: 'started' }
  /** When the pod prints `"system.ready": …`. */
  | { readonly kind: 'signal' }
  /** When an output line (stdout or stderr) matches. */
  | { readonly kind: 'log'; readonly pattern: RegExp }
  /** When the probe first succeeds. */
  | { readonly kind: 'probe'; readonly probe: ProbeSpec<Action> };

export interface OrchestratorConfig {
  /** Absolute path of tasks.toml. */
  readonly file: string;
  /** Absolute directory of tasks.toml (state directory, report names). */
  readonly dir: string;
  /** In file order: the including file's tasks first, then each included file's, depth first. */
  readonly tasks: readonly TaskSpec[];
  /** Every config file read (tasks.toml first, then what `include` reached), absolute. */
  readonly files: readonly string[];
  /** Task name → absolute path of the file that defines it. */
  readonly taskFiles: Readonly<Record<string, string>>;
  /** Problems that do not stop the load (an include glob that matched nothing), as `file:line message`. */
  readonly warnings: readonly string[];
  /** The `[bus]` table; null when absent (the in-process bus, unless `run --bus` names a server). */
  readonly bus: BusConfig | null;
}

/**
 * The `[bus]` table as written, defaulted. No secrets: those come from the environment when the
 * run starts (see docs/nats.md). `urls` may carry userinfo: show them only redacted.
 */
export interface BusConfig {
  /** Null: no `url` key (a flag may still name a server). */
  readonly urls: readonly string[] | null;
  readonly project: string | null;
  /** Null: the host name, sanitized, when the run starts. */
  readonly instance: string | null;
  readonly leaseMs: number;
  readonly storage: 'file' | 'memory';
  readonly replicas: number;
  readonly publishWindow: number;
  readonly instanceTtlMs: number;
  readonly connectTimeoutMs: number;
  /** Absolute paths; null when no `tls` table. */
  readonly tls: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string } | null;
  /** Absolute path of the `creds` file; null when not set (NATS_CREDS may name one). */
  readonly credsFile: string | null;
}
