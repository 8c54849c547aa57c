/**
 * What a run needs to open the NATS JetStream transport: the `[bus]` table of tasks.toml after
 * flags and environment were applied. Secrets come only from the environment, so they are kept
 * apart (`auth`) and never printed: anything shown uses `displayServers`, with URL userinfo
 * redacted.
 */
export interface NatsBusSettings {
  readonly kind: 'nats';
  /** nats:// or tls:// URLs as given (they may carry userinfo; never log these). */
  readonly servers: readonly string[];
  /** The same URLs with userinfo replaced by `***`, for logs, errors, events and status. */
  readonly displayServers: readonly string[];
  /** Isolates several stacks on one server; `^[A-Za-z0-9][A-Za-z0-9-]*$`. */
  readonly project: string;
  /** This orchestrator among the project's instances; same rule as `project`. */
  readonly instance: string;
  /** JetStream ack_wait; renewed with working() every lease/3 while the holding pod lives. */
  readonly leaseMs: number;
  readonly storage: 'file' | 'memory';
  /** Stream replicas (3 on a cluster). */
  readonly replicas: number;
  /** JetStream publishes in flight per instance. */
  readonly publishWindow: number;
  /** inactive_threshold of broadcast durables. */
  readonly instanceTtlMs: number;
  /** Connect timeout at start: past it the run exits 2 naming the (redacted) server. */
  readonly connectTimeoutMs: number;
  readonly auth: NatsAuth;
  readonly tls: NatsTls | null;
}

/** From NATS_TOKEN, NATS_USER/NATS_PASSWORD or NATS_CREDS only. */
export type NatsAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'user'; readonly user: string; readonly pass: string }
  | { readonly kind: 'creds'; readonly credsFile: string };

/** Absolute paths (resolved against the tasks.toml directory). */
export interface NatsTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}
