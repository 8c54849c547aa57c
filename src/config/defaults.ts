/**
 * The built-in value of every optional task key, written as it would be in tasks.toml. This is the
 * only place defaults live: `resolve.ts` applies them and the JSON schema advertises them. Keys
 * absent here (`env_file`, `ack_timeout`, `alive`) default to "none"; `command` has no default.
 * `max_restarts` is the on-failure default: restart = "always" restarts without limit unless it is
 * set, and restart = "never" never restarts. `probe` holds the timing of `ready` and `alive` tables.
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
  colors: false,
  subscribe: [],
  mode: 'broadcast',
  stdin: 'framed',
  concurrency: 1,
  max_deliveries: 5,
  max_queue: 10_000,
  max_queue_bytes: '2MiB',
  overflow: 'block',
  replay_latest: false,
  receive_replies: false,
  max_message_size: '1MiB',
  success_exit_codes: [0],
  max_restarts: 6,
  depends_on: [],
  ready: 'started',
  watch: [],
  watch_ignore: [],
  watch_debounce: '300ms',
  log_buffer: 1000,
  probe: { period: '1s', timeout: '1s', failure_threshold: 3 },
} as const;
