import * as path from 'node:path';
import type * as z from 'zod';
import { TASK_DEFAULTS } from './defaults.js';
import { type DependencyNode, resolveDependsOn } from './dependencies.js';
import { parseDotenv } from './dotenv.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import type { KeyPath } from './path.js';
import { hasPodVariables, toPodText } from './pod-template.js';
import { resolveAutoscale } from './resolve-autoscale.js';
import { resolveProbe, resolveReady } from './resolve-probe.js';
import type { TaskSchema } from './schema.js';
import { parseSize } from './size.js';
import { splitCommand } from './split-command.js';
import type { BackoffSpec, PodText, TaskSpec } from './types.js';
import type { PathProblem } from './validate.js';

type ValidTask = z.output<typeof TaskSchema>;

export interface ResolveContext {
  /** Absolute directory of tasks.toml. */
  readonly dir: string;
  readonly readFile: (file: string) => string;
  /** How a file path is shown in messages. */
  readonly display: (file: string) => string;
}

/**
 * Turns one schema-valid task into a TaskSpec: the only place where [defaults] and the built-in
 * defaults are applied and where strings become milliseconds, bytes, argv and absolute paths.
 * Problems are reported where the offending key was written (the task, or [defaults]).
 */
export function resolveTask(
  name: string,
  own: ValidTask,
  defaults: ValidTask,
  ctx: ResolveContext,
  /** Keys left out because they already have a problem: their absence is not reported again. */
  reported: ReadonlySet<string> = new Set(),
): { spec: TaskSpec | null; problems: PathProblem[]; node: DependencyNode } {
  const problems: PathProblem[] = [];
  const origin = (key: keyof ValidTask): KeyPath => (own[key] !== undefined ? ['tasks', name, key] : defaults[key] !== undefined ? ['defaults', key] : ['tasks', name]);
  const task = { ...TASK_DEFAULTS, ...defaults, ...own };
  const backoffRaw = { ...TASK_DEFAULTS.backoff, ...task.backoff };

  const command = resolveCommand(task.command, task.shell, origin('command'), reported.has('command') ? [] : problems);
  const backoff: BackoffSpec = {
    baseMs: ms(backoffRaw.base),
    maxMs: ms(backoffRaw.max),
    resetAfterMs: ms(backoffRaw.reset_after),
  };
  if (backoff.maxMs < backoff.baseMs) {
    problems.push({ path: [...origin('backoff'), 'max'], message: `must be >= base (${formatDuration(backoff.baseMs)}), got ${JSON.stringify(backoffRaw.max)}` });
  }

  const envFile = task.env_file === undefined ? null : path.resolve(ctx.dir, task.env_file);
  const fileEnv = envFile === null ? {} : readEnvFile(envFile, origin('env_file'), ctx, problems);
  const env: Record<string, PodText> = { ...fileEnv };
  for (const [key, value] of Object.entries(task.env)) env[key] = typeof value === 'string' ? toPodText(value) : String(value);
  // Per-pod variables cannot change where a path points: their values hold no "/" and are never "..".
  const cwd = path.resolve(ctx.dir, task.cwd);
  if (hasPodVariables(cwd) && task.watch.length > 0) {
    problems.push({ path: origin('watch'), message: 'watch globs are relative to cwd, which differs per pod here: give the task a cwd without per-pod variables and pass the per-pod directory in env or command' });
  }

  // Unset, max_restarts follows the policy: 6 for on-failure, unlimited for always, 0 for never.
  const maxRestartsSet = own.max_restarts ?? defaults.max_restarts;
  if (own.max_restarts !== undefined && task.restart === 'never') {
    problems.push({ path: origin('max_restarts'), message: 'has no effect with restart = "never" (a replica is never restarted)' });
  }
  const maxRestarts = task.restart === 'never' ? 0 : (maxRestartsSet ?? (task.restart === 'always' ? null : TASK_DEFAULTS.max_restarts));
  const autoscale = resolveAutoscale(own, task, origin, ['tasks', name], problems);
  const dependencies = resolveDependsOn(task.depends_on, origin('depends_on'));
  const node: DependencyNode = { name, restart: task.restart, refs: dependencies };

  if (command === null || reported.size > 0) return { spec: null, problems, node };
  const spec: TaskSpec = {
    name,
    command: command.map(toPodText),
    shell: task.shell,
    cwd: toPodText(cwd),
    env,
    envFile,
    replicas: autoscale === null ? task.replicas : autoscale.min,
    autoscale,
    restart: task.restart,
    gracePeriodMs: ms(task.grace_period),
    stopSignal: task.stop_signal as NodeJS.Signals,
    backoff,
    showStdout: task.show_stdout,
    showStderr: task.show_stderr,
    colors: task.colors,
    subscribe: task.subscribe,
    mode: task.mode,
    stdin: task.stdin,
    concurrency: task.concurrency,
    ackTimeoutMs: task.ack_timeout === undefined ? null : ms(task.ack_timeout),
    stallTimeoutMs: task.stall_timeout === undefined ? null : ms(task.stall_timeout),
    maxDeliveries: task.max_deliveries,
    maxQueue: task.max_queue,
    maxQueueBytes: bytes(task.max_queue_bytes),
    overflow: task.overflow,
    replayLatest: task.replay_latest,
    receiveReplies: task.receive_replies,
    stdoutTopic: task.stdout_topic ?? `${name}.stdout`,
    stderrTopic: task.stderr_topic ?? `${name}.stderr`,
    maxMessageSize: bytes(task.max_message_size),
    successExitCodes: [...new Set(task.success_exit_codes)],
    maxRestarts,
    dependsOn: Object.fromEntries(dependencies.map((d) => [d.task, d.condition])),
    ready: resolveReady(task.ready),
    alive: task.alive === undefined ? null : resolveProbe(task.alive),
    watch: task.watch,
    watchIgnore: task.watch_ignore,
    watchDebounceMs: ms(task.watch_debounce),
    logBuffer: task.log_buffer,
  };
  return { spec: problems.length === 0 ? spec : null, problems, node };
}

function resolveCommand(command: string | string[] | undefined, shell: boolean, at: KeyPath, problems: PathProblem[]): string[] | null {
  if (command === undefined) {
    problems.push({ path: at, message: 'missing required key "command"' });
    return null;
  }
  if (shell) {
    if (typeof command !== 'string') {
      problems.push({ path: at, message: 'expected a command string when shell = true, got an array (write the command line as one string)' });
      return null;
    }
    if (command.trim() === '') {
      problems.push({ path: at, message: 'command is empty' });
      return null;
    }
    return ['/bin/sh', '-c', command];
  }
  if (Array.isArray(command)) {
    if (command[0] === '') {
      problems.push({ path: [...at, 0], message: 'the program name is empty' });
      return null;
    }
    return command;
  }
  const split = splitCommand(command);
  if (split.ok) return split.value;
  problems.push({ path: at, message: split.error });
  return null;
}

function readEnvFile(file: string, at: KeyPath, ctx: ResolveContext, problems: PathProblem[]): Record<string, string> {
  let text: string;
  try {
    text = ctx.readFile(file);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    problems.push({ path: at, message: missing ? `env file not found: ${ctx.display(file)}` : `cannot read env file ${ctx.display(file)}: ${(error as Error).message}` });
    return {};
  }
  const parsed = parseDotenv(text);
  for (const p of parsed.problems) problems.push({ path: at, message: `${ctx.display(file)}:${p.line}: ${p.message}` });
  return parsed.values;
}

/** Inputs already passed the schema's pattern, so failure here is a bug, not a user error. */
function ms(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unreachable: schema accepted ${text}`);
  return parsed.value;
}

function bytes(input: string | number): number {
  const parsed = parseSize(input);
  if (!parsed.ok) throw new Error(`unreachable: schema accepted ${input}`);
  return parsed.value;
}
