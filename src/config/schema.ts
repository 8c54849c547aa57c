import { constants } from 'node:os';
import * as z from 'zod';
import { AUTOSCALE_KEYS, autoscaleSchema } from './autoscale-schema.js';
import { TASK_DEFAULTS } from './defaults.js';
import { isReservedTopic, topicProblem } from '../protocol/topic.js';
import { includeSchema } from './include/include-schema.js';
import { patternProblem } from './pattern.js';
import { BUS_KEYS, BUS_TLS_KEYS, BusSchema } from './bus-schema.js';
import { aliveSchema, PROBE_KEYS, READY_TABLE_KEYS, readySchema } from './probe-schema.js';
import { boolean, commandSchema, describeValue, duration, expected, integerAtLeast, integerBetween, type IssueInput, oneOf, stringRule } from './rules.js';
import { SIZE_PATTERN } from './size.js';
import { didYouMean } from './suggest.js';

/**
 * The shape of tasks.toml, used both to validate (every message is written here, next to the rule
 * it explains) and to generate the JSON schema. It checks the file as written; defaults, paths,
 * durations and sizes are turned into a TaskSpec afterwards, in resolve.ts.
 */

export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const SIGNAL_NAMES = Object.keys(constants.signals) as [string, ...string[]];

const signalRule = expected('a signal name such as "SIGTERM"', (input) => {
  if (typeof input !== 'string') return '';
  const prefixed = `SIG${input.toUpperCase()}`;
  return SIGNAL_NAMES.includes(prefixed) ? `, did you mean "${prefixed}"?` : didYouMean(input.toUpperCase(), SIGNAL_NAMES);
});

const sizeRule = expected('a size such as "512KiB", "1MiB", "64KB" or an integer number of bytes >= 1');

const subscription = z.string(stringRule).superRefine((pattern, ctx) => {
  const problem = patternProblem(pattern);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A topic a task's output lines are published on: publishable and outside the reserved `system.` namespace. */
const outputTopic = (description: string) =>
  z
    .string(stringRule)
    .superRefine((topic, ctx) => {
      const problem = topicProblem(topic) ?? (isReservedTopic(topic) ? 'the "system." namespace is reserved for the orchestrator' : null);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: `invalid topic ${JSON.stringify(topic)}: ${problem}` });
    })
    .meta({ description });

const exitCode = integerBetween(0, 255, 'An exit code.');
const glob = z.string(stringRule).min(1, expected('a non-empty glob pattern'));
const condition = oneOf(['started', 'ready', 'completed'], 'started: pods spawned; ready: pods ready; completed: every replica exited successfully.');

/** Arrays are checked here (like `command`) because zod reports a failed union as a whole. */
function dependsOnError(issue: IssueInput): string {
  const input = issue.input;
  if (Array.isArray(input)) {
    const index = input.findIndex((item) => typeof item !== 'string');
    return `expected an array of task names, got ${describeValue(input[index])} at index ${index}`;
  }
  const hint = typeof input === 'string' ? `: write [${JSON.stringify(input)}]` : '';
  return `expected an array of task names or a table such as { db = "ready" }, got ${describeValue(input)}${hint}`;
}

export const BACKOFF_SHAPE = {
  base: duration('Delay before the second consecutive restart (the first is immediate); later delays grow up to max.', TASK_DEFAULTS.backoff.base).optional(),
  max: duration('Upper bound of any restart delay; must be >= base.', TASK_DEFAULTS.backoff.max).optional(),
  reset_after: duration('A run at least this long resets the consecutive-failure count.', TASK_DEFAULTS.backoff.reset_after).optional(),
};

export const TASK_SHAPE = {
  command: commandSchema('What to run: an argv array (no shell), or a string split into argv like a POSIX shell would (quotes, backslashes; no shell features unless shell = true). Required.').optional(),
  cwd: z.string(stringRule).meta({ description: 'Working directory, relative to the directory of the file that defines the task (tasks.toml or an included file).', default: TASK_DEFAULTS.cwd }).optional(),
  env: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()], expected('a string (numbers and booleans are converted)')), expected('a table of NAME = "value"'))
    .meta({ description: 'Environment variables added to the inherited environment; they override env_file. Numbers and booleans become strings.', default: TASK_DEFAULTS.env })
    .optional(),
  env_file: z.string(stringRule).meta({ description: 'A dotenv file (KEY=VALUE lines), relative to the file that defines the task. It must exist.' }).optional(),
  replicas: integerAtLeast(0, 'How many pods to keep running; 0 defines the task without starting it.', TASK_DEFAULTS.replicas).optional(),
  autoscale: autoscaleSchema.optional(),
  restart: oneOf(['always', 'on-failure', 'never'], 'When an exited pod is restarted: always, only after a non-zero exit or a signal, or never.', TASK_DEFAULTS.restart).optional(),
  grace_period: duration('How long a pod may take to exit after stop_signal before it is sent SIGKILL.', TASK_DEFAULTS.grace_period).optional(),
  stop_signal: z.enum(SIGNAL_NAMES, signalRule).meta({ description: 'Signal sent to the pod\'s process group to stop it.', default: TASK_DEFAULTS.stop_signal }).optional(),
  backoff: z
    .strictObject(BACKOFF_SHAPE, expected('a table such as { base = "500ms", max = "30s" }'))
    .meta({ description: 'Restart delays for a crash-looping pod. A partial table takes the remaining keys from the built-in defaults.', default: TASK_DEFAULTS.backoff })
    .optional(),
  shell: boolean('Run the command string through /bin/sh -c (command must then be a string).', TASK_DEFAULTS.shell).optional(),
  show_stdout: boolean('Show this task\'s stdout log lines on the terminal.', TASK_DEFAULTS.show_stdout).optional(),
  show_stderr: boolean('Show this task\'s stderr log lines on the terminal.', TASK_DEFAULTS.show_stderr).optional(),
  colors: boolean('Let this task\'s colour sequences (SGR, ESC [ … m) through to a terminal that shows colours; every other control character and escape sequence is always shown escaped.', TASK_DEFAULTS.colors).optional(),
  subscribe: z
    .array(subscription, expected('an array of topic patterns'))
    .meta({ description: 'Topic patterns whose messages are written to the pods\' stdin. NATS-style: "." separates tokens, "*" matches one token, ">" the rest.', default: TASK_DEFAULTS.subscribe })
    .optional(),
  mode: oneOf(['broadcast', 'round_robin'], 'broadcast: every pod gets every message; round_robin: each message goes to one pod.', TASK_DEFAULTS.mode).optional(),
  stdin: oneOf(['framed', 'json', 'payload'], 'How messages are written to stdin (see docs/protocol.md).', TASK_DEFAULTS.stdin).optional(),
  concurrency: integerAtLeast(1, 'round_robin: unacknowledged messages one pod may hold at a time.', TASK_DEFAULTS.concurrency).optional(),
  ack_timeout: duration('Redeliver a message not acknowledged within this time. Omit for no timeout.').optional(),
  stall_timeout: duration('Restart a pod (like a failed liveness probe) that has not read its stdin for this long while messages wait for it. Omit to never restart (a warning is still logged).').optional(),
  max_deliveries: integerAtLeast(1, 'After this many failed deliveries a message goes to "<topic>.dead".', TASK_DEFAULTS.max_deliveries).optional(),
  max_queue: integerAtLeast(1, 'Messages queued for this task before the overflow policy applies.', TASK_DEFAULTS.max_queue).optional(),
  max_queue_bytes: z
    .union([z.string(sizeRule).regex(SIZE_PATTERN, sizeRule), z.number(sizeRule).int(sizeRule).min(1, sizeRule)], sizeRule)
    .meta({ description: 'Data queued for this task (counted in characters, bytes for ASCII) before the overflow policy applies: "4MiB", "512KiB" or bytes. A message is always accepted into an empty queue.', default: TASK_DEFAULTS.max_queue_bytes })
    .optional(),
  overflow: oneOf(['block', 'drop_oldest', 'reject'], 'What a full queue does with one more message: pause publishers, drop the oldest, or reject the new one.', TASK_DEFAULTS.overflow).optional(),
  receive_replies: boolean('Each pod gets on stdin the replies (`<topic>.result`) to the messages it published itself, and only those (see docs/protocol.md).', TASK_DEFAULTS.receive_replies).optional(),
  stdout_topic: outputTopic('Topic on which the pods\' plain stdout lines are published (when anyone subscribes). Default "<task>.stdout".').optional(),
  stderr_topic: outputTopic('Topic on which the pods\' stderr lines are published (when anyone subscribes). Default "<task>.stderr".').optional(),
  replay_latest: boolean('Give a newly started pod the latest message of each subscribed topic.', TASK_DEFAULTS.replay_latest).optional(),
  max_message_size: z
    .union([z.string(sizeRule).regex(SIZE_PATTERN, sizeRule), z.number(sizeRule).int(sizeRule).min(1, sizeRule)], sizeRule)
    .meta({ description: 'Longest line or block this task\'s pods may publish: "512KiB", "1MiB", "64KB" or bytes.', default: TASK_DEFAULTS.max_message_size })
    .optional(),
  success_exit_codes: z
    .array(exitCode, expected('an array of exit codes such as [0, 3]'))
    .min(1, { error: 'expected at least one exit code, got an empty array' })
    .meta({ description: 'Exit codes that count as success for a job replica (and for restart = "on-failure").', default: [...TASK_DEFAULTS.success_exit_codes] })
    .optional(),
  max_restarts: integerAtLeast(0, 'Restarts of one replica before it counts as failed. Default 6 for restart = "on-failure", unlimited for "always"; no effect with "never".').optional(),
  depends_on: z
    .union([z.array(z.string(), { error: dependsOnError }), z.record(z.string(), condition, { error: dependsOnError })], { error: dependsOnError })
    .meta({ description: 'Tasks that must be started, ready or completed before this task starts: ["db"] (condition "started") or { db = "ready", migrate = "completed" }.', default: [...TASK_DEFAULTS.depends_on] })
    .optional(),
  ready: readySchema.optional(),
  alive: aliveSchema.optional(),
  watch: z
    .array(glob, expected('an array of glob patterns'))
    .meta({ description: 'Glob patterns, relative to cwd; a change to a matching file restarts the task\'s pods one at a time.', default: [...TASK_DEFAULTS.watch] })
    .optional(),
  watch_ignore: z
    .array(glob, expected('an array of glob patterns'))
    .meta({ description: 'Glob patterns never watched, in addition to node_modules and .git.', default: [...TASK_DEFAULTS.watch_ignore] })
    .optional(),
  watch_debounce: duration('Wait this long after the last change of a burst before restarting.', TASK_DEFAULTS.watch_debounce).optional(),
  log_buffer: integerBetween(10, 1_000_000, 'Output lines kept in memory per pod for `orchestrator logs`.', TASK_DEFAULTS.log_buffer).optional(),
};

const tableRule = expected('a table of task keys');
export const TaskSchema = z.strictObject(TASK_SHAPE, tableRule).meta({ id: 'task', description: 'One task: a command run as `replicas` supervised pods.' });

export const FileSchema = z
  .strictObject(
    {
      include: includeSchema.optional(),
      defaults: TaskSchema.optional().meta({ description: 'Any task key; supplies it to every task that does not set it (whole keys, no deep merge).' }),
      tasks: z
        .record(z.string().regex(TASK_NAME_PATTERN), TaskSchema, {
          error: (issue: IssueInput) => `expected a table of tasks, got ${describeValue(issue.input)}`,
        })
        // Optional per file: an included file may hold only [defaults] or more includes; a project without any task is reported by the loader.
        .optional()
        .meta({ description: 'The tasks, by name. Names use letters, digits, "_" and "-" (no dots: they prefix topics such as "<task>.stdout").' }),
      bus: BusSchema.optional(),
    },
    expected('a table'),
  )
  .meta({ title: 'stdio-orchestrator tasks.toml', description: 'Tasks run and supervised by stdio-orchestrator.' });

export type RawTask = z.input<typeof TaskSchema>;
export type RawFile = z.output<typeof FileSchema>;

export const FILE_KEYS: readonly string[] = ['include', 'defaults', 'tasks', 'bus'];
export const TASK_KEYS: readonly string[] = Object.keys(TASK_SHAPE);
export const BACKOFF_KEYS: readonly string[] = Object.keys(BACKOFF_SHAPE);
/** Keys of the nested tables, for "unknown key" suggestions. */
export const NESTED_KEYS: Readonly<Record<string, readonly string[]>> = { backoff: BACKOFF_KEYS, ready: READY_TABLE_KEYS, alive: PROBE_KEYS, autoscale: AUTOSCALE_KEYS };
/** Keys of `[bus]` and `[bus.tls]`, for "unknown key" suggestions. */
export const BUS_TABLE_KEYS: Readonly<Record<string, readonly string[]>> = { bus: BUS_KEYS, tls: BUS_TLS_KEYS };
