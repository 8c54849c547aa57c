import { constants } from 'node:os';
import * as z from 'zod';
import { TASK_DEFAULTS } from './defaults.js';
import { DURATION_PATTERN } from './duration.js';
import { patternProblem } from './pattern.js';
import { SIZE_PATTERN } from './size.js';
import { didYouMean } from './suggest.js';

/**
 * The shape of tasks.toml, used both to validate (every message is written here, next to the rule
 * it explains) and to generate the JSON schema. It checks the file as written; defaults, paths,
 * durations and sizes are turned into a TaskSpec afterwards, in resolve.ts.
 */

export const TASK_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const SIGNAL_NAMES = Object.keys(constants.signals) as [string, ...string[]];

/** `"two" (string)`, `5 (number)`, `an array`: what the user wrote, for "got ..." messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)} (${typeof value})`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return 'a table';
}

type IssueInput = { readonly input?: unknown };

function expected(what: string, hint?: (input: unknown) => string): { error: (issue: IssueInput) => string } {
  return { error: (issue) => `expected ${what}, got ${describeValue(issue.input)}${hint?.(issue.input) ?? ''}` };
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, description: string, fallback: T[number]) {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  const hint = (input: unknown): string => (typeof input === 'string' ? didYouMean(input, values) : '');
  return z.enum(values, expected(`one of ${listed}`, hint)).meta({ description, default: fallback });
}

function integerAtLeast(min: number, description: string, fallback: number) {
  const rule = expected(`an integer >= ${min}`);
  return z.number(rule).int(rule).min(min, rule).meta({ description, default: fallback });
}

function boolean(description: string, fallback: boolean) {
  return z.boolean(expected('true or false')).meta({ description, default: fallback });
}

const durationRule = expected('a duration such as "500ms", "10s" or "1m30s"', (input) =>
  typeof input === 'number' ? `: durations need a unit, e.g. "${input}ms" or "${input}s"` : '',
);
function duration(description: string, fallback?: string) {
  return z.string(durationRule).regex(DURATION_PATTERN, durationRule).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
}

const signalRule = expected('a signal name such as "SIGTERM"', (input) => {
  if (typeof input !== 'string') return '';
  const prefixed = `SIG${input.toUpperCase()}`;
  return SIGNAL_NAMES.includes(prefixed) ? `, did you mean "${prefixed}"?` : didYouMean(input.toUpperCase(), SIGNAL_NAMES);
});

const sizeRule = expected('a size such as "512KiB", "1MiB", "64KB" or an integer number of bytes >= 1');
const stringRule = expected('a string');

/** zod reports a failed union as a whole, so name the offending argument here. */
function commandError(issue: IssueInput): string {
  const input = issue.input;
  if (!Array.isArray(input)) return `expected a command string or an array of strings, got ${describeValue(input)}`;
  if (input.length === 0) return 'expected a command string or a non-empty array of strings, got an empty array';
  const index = input.findIndex((arg) => typeof arg !== 'string');
  return `expected an array of strings, got ${describeValue(input[index])} at index ${index}`;
}

const subscription = z.string(stringRule).superRefine((pattern, ctx) => {
  const problem = patternProblem(pattern);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

export const BACKOFF_SHAPE = {
  base: duration('Delay before the second consecutive restart (the first is immediate); later delays grow up to max.', TASK_DEFAULTS.backoff.base).optional(),
  max: duration('Upper bound of any restart delay; must be >= base.', TASK_DEFAULTS.backoff.max).optional(),
  reset_after: duration('A run at least this long resets the consecutive-failure count.', TASK_DEFAULTS.backoff.reset_after).optional(),
};

export const TASK_SHAPE = {
  command: z
    .union([z.string({ error: commandError }), z.array(z.string({ error: commandError }), { error: commandError }).min(1, { error: commandError })], { error: commandError })
    .meta({ description: 'What to run: an argv array (no shell), or a string split into argv like a POSIX shell would (quotes, backslashes; no shell features unless shell = true). Required.' })
    .optional(),
  cwd: z.string(stringRule).meta({ description: 'Working directory, relative to the directory of tasks.toml.', default: TASK_DEFAULTS.cwd }).optional(),
  env: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()], expected('a string (numbers and booleans are converted)')), expected('a table of NAME = "value"'))
    .meta({ description: 'Environment variables added to the inherited environment; they override env_file. Numbers and booleans become strings.', default: TASK_DEFAULTS.env })
    .optional(),
  env_file: z.string(stringRule).meta({ description: 'A dotenv file (KEY=VALUE lines), relative to tasks.toml. It must exist.' }).optional(),
  replicas: integerAtLeast(0, 'How many pods to keep running; 0 defines the task without starting it.', TASK_DEFAULTS.replicas).optional(),
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
  subscribe: z
    .array(subscription, expected('an array of topic patterns'))
    .meta({ description: 'Topic patterns whose messages are written to the pods\' stdin. NATS-style: "." separates tokens, "*" matches one token, ">" the rest.', default: TASK_DEFAULTS.subscribe })
    .optional(),
  mode: oneOf(['broadcast', 'round_robin'], 'broadcast: every pod gets every message; round_robin: each message goes to one pod.', TASK_DEFAULTS.mode).optional(),
  stdin: oneOf(['framed', 'json', 'payload'], 'How messages are written to stdin (see docs/protocol.md).', TASK_DEFAULTS.stdin).optional(),
  concurrency: integerAtLeast(1, 'round_robin: unacknowledged messages one pod may hold at a time.', TASK_DEFAULTS.concurrency).optional(),
  ack_timeout: duration('Redeliver a message not acknowledged within this time. Omit for no timeout.').optional(),
  max_deliveries: integerAtLeast(1, 'After this many failed deliveries a message goes to "<topic>.dead".', TASK_DEFAULTS.max_deliveries).optional(),
  max_queue: integerAtLeast(1, 'Messages queued for this task before the overflow policy applies.', TASK_DEFAULTS.max_queue).optional(),
  overflow: oneOf(['block', 'drop_oldest', 'reject'], 'What a full queue does with one more message: pause publishers, drop the oldest, or reject the new one.', TASK_DEFAULTS.overflow).optional(),
  replay_latest: boolean('Give a newly started pod the latest message of each subscribed topic.', TASK_DEFAULTS.replay_latest).optional(),
  max_message_size: z
    .union([z.string(sizeRule).regex(SIZE_PATTERN, sizeRule), z.number(sizeRule).int(sizeRule).min(1, sizeRule)], sizeRule)
    .meta({ description: 'Longest line or block this task\'s pods may publish: "512KiB", "1MiB", "64KB" or bytes.', default: TASK_DEFAULTS.max_message_size })
    .optional(),
};

const tableRule = expected('a table of task keys');
export const TaskSchema = z.strictObject(TASK_SHAPE, tableRule).meta({ id: 'task', description: 'One task: a command run as `replicas` supervised pods.' });

export const FileSchema = z
  .strictObject(
    {
      defaults: TaskSchema.optional().meta({ description: 'Any task key; supplies it to every task that does not set it (whole keys, no deep merge).' }),
      tasks: z
        .record(z.string().regex(TASK_NAME_PATTERN), TaskSchema, {
          error: (issue: IssueInput) => (issue.input === undefined ? 'no tasks defined: add a [tasks.NAME] table' : `expected a table of tasks, got ${describeValue(issue.input)}`),
        })
        .meta({ description: 'The tasks, by name. Names use letters, digits, "_" and "-" (no dots: they prefix topics such as "<task>.stdout").' }),
    },
    expected('a table'),
  )
  .meta({ title: 'stdio-orchestrator tasks.toml', description: 'Tasks run and supervised by stdio-orchestrator.' });

export type RawTask = z.input<typeof TaskSchema>;
export type RawFile = z.output<typeof FileSchema>;

export const FILE_KEYS: readonly string[] = ['defaults', 'tasks'];
export const TASK_KEYS: readonly string[] = Object.keys(TASK_SHAPE);
export const BACKOFF_KEYS: readonly string[] = Object.keys(BACKOFF_SHAPE);
