/**
 * The built-in value of every optional task key, written as it would be in tasks.toml. This is the
 * only place defaults live: `resolve.ts` applies them and the JSON schema advertises them. Keys
 * absent here (`env_file`, `ack_timeout`) default to "none"; `command` has no default.
 */
export const TASK_DEFAULTS = {
  cwd: '.',
  env: {},
  replicas: 1,
  restart: 'always',
  grace_period: '10s',
  stop_signal: 'SIGTERM',
  backoff: { base: '500ms', max: '30s', reset_after: '60s' },
  shell: false,
  show_stdout: true,
  show_stderr: true,
  subscribe: [],
  mode: 'broadcast',
  stdin: 'framed',
  concurrency: 1,
  max_deliveries: 5,
  max_queue: 10_000,
  overflow: 'block',
  replay_latest: false,
  max_message_size: '1MiB',
} as const;
