import * as z from 'zod';
import { TASK_DEFAULTS } from './defaults.js';
import { parseDuration } from '../util/duration.js';
import { samplePodText } from './pod-template.js';
import { commandSchema, describeValue, duration, expected, integerAtLeast, type IssueInput, stringRule } from './rules.js';
import { splitCommand } from './split-command.js';
import { didYouMean } from './suggest.js';

/**
 * `ready` and `alive`: a probe table names exactly one action (`log` for readiness only, `exec`,
 * `http`, `tcp`) plus optional timing. The checks that need code (one action, a compilable regex,
 * a URL, host:port) run here too, so every problem is reported at the key that causes it.
 */

const defaults = TASK_DEFAULTS.probe;

const TIMING_SHAPE = {
  period: duration('Time between the end of one check and the start of the next.', defaults.period).optional(),
  timeout: duration('A check that takes longer fails.', defaults.timeout).optional(),
  failure_threshold: integerAtLeast(1, 'Consecutive failed checks before the probe counts as failed.', defaults.failure_threshold).optional(),
};
const TIMING_KEYS = Object.keys(TIMING_SHAPE);

const PROBE_SHAPE = {
  exec: commandSchema('Run this command (a string split like `command`, or an argv array; no shell) in the pod\'s cwd and environment; exit 0 passes.').optional(),
  http: z.string(stringRule).meta({ description: 'GET this http:// or https:// URL; any 2xx or 3xx response passes.' }).optional(),
  tcp: z.string(stringRule).meta({ description: '"host:port" (IPv6: "[::1]:5432"); the check passes when a TCP connection opens.' }).optional(),
  ...TIMING_SHAPE,
};

const READY_TABLE_SHAPE = {
  log: z.string(stringRule).meta({ description: 'A regular expression (JavaScript syntax); ready when a stdout or stderr line matches.' }).optional(),
  ...PROBE_SHAPE,
};

export const PROBE_KEYS: readonly string[] = Object.keys(PROBE_SHAPE);
export const READY_TABLE_KEYS: readonly string[] = Object.keys(READY_TABLE_SHAPE);

type ProbeTable = { log?: string | undefined; exec?: string | string[] | undefined; http?: string | undefined; tcp?: string | undefined; period?: string | undefined; timeout?: string | undefined };
type Ctx = { addIssue(issue: { code: 'custom'; message: string; path: (string | number)[] }): void };

function checkProbe(actions: readonly string[]) {
  return (table: ProbeTable, ctx: Ctx): void => {
    const set = actions.filter((key) => table[key as keyof ProbeTable] !== undefined);
    const listed = actions.join(', ');
    if (set.length === 0) ctx.addIssue({ code: 'custom', path: [], message: `expected one of ${listed}, e.g. { http = "http://127.0.0.1:8080/health" }` });
    for (const extra of set.slice(1)) {
      ctx.addIssue({ code: 'custom', path: [extra], message: `set only one of ${listed} (already set: ${set[0] ?? ''})` });
    }
    if (table.log !== undefined) {
      const problem = regexProblem(table.log);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['log'], message: problem });
      for (const key of TIMING_KEYS) {
        if (key in table) ctx.addIssue({ code: 'custom', path: [key], message: `only applies to exec, http and tcp probes, not to log` });
      }
    }
    if (typeof table.exec === 'string') {
      const split = splitCommand(table.exec);
      if (!split.ok) ctx.addIssue({ code: 'custom', path: ['exec'], message: split.error });
      else if (split.value.length === 0) ctx.addIssue({ code: 'custom', path: ['exec'], message: 'command is empty' });
    } else if (table.exec?.[0] === '') {
      ctx.addIssue({ code: 'custom', path: ['exec', 0], message: 'the program name is empty' });
    }
    // With per-pod variables, check what replica 0 would get.
    if (table.http !== undefined && !isHttpUrl(samplePodText(table.http))) {
      ctx.addIssue({ code: 'custom', path: ['http'], message: `expected an http:// or https:// URL such as "http://127.0.0.1:8080/health", got ${describeValue(table.http)}` });
    }
    if (table.tcp !== undefined && parseHostPort(samplePodText(table.tcp)) === null) {
      ctx.addIssue({ code: 'custom', path: ['tcp'], message: `expected "host:port" with a port from 1 to 65535, such as "127.0.0.1:5432", got ${describeValue(table.tcp)}` });
    }
    for (const key of ['period', 'timeout'] as const) {
      const text = table[key];
      const parsed = text === undefined ? null : parseDuration(text);
      if (parsed?.ok === true && parsed.value < 1) ctx.addIssue({ code: 'custom', path: [key], message: `must be at least 1ms, got ${JSON.stringify(text)}` });
    }
  };
}

/** The RegExp error without its "Invalid regular expression: /…/: " prefix, or null. */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source);
    return null;
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return `invalid regular expression ${JSON.stringify(source)}: ${reason}`;
  }
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** `host:port` or `[v6]:port`, port 1–65535; null when malformed. */
export function parseHostPort(text: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return null;
  return { host: match[1] ?? match[2] ?? '', port };
}

const tableRule = (example: string) => expected(`a probe table such as ${example}`);

export const aliveSchema = z
  .strictObject(PROBE_SHAPE, tableRule('{ http = "http://127.0.0.1:8080/health" }'))
  .superRefine(checkProbe(['exec', 'http', 'tcp']))
  .meta({ description: 'Liveness probe: a pod failing it failure_threshold times in a row is restarted (subject to restart and backoff). Exactly one of exec, http, tcp.' });

const READY_WORDS = ['started', 'signal'] as const;

function readyError(issue: IssueInput): string {
  const hint = typeof issue.input === 'string' ? didYouMean(issue.input, READY_WORDS) : '';
  return `expected "started", "signal" or a table such as { http = "http://127.0.0.1:8080/health" }, got ${describeValue(issue.input)}${hint}`;
}

export const readySchema = z
  .union([z.enum(READY_WORDS, { error: readyError }), z.strictObject(READY_TABLE_SHAPE, { error: readyError }).superRefine(checkProbe(['log', 'exec', 'http', 'tcp']))], { error: readyError })
  .meta({
    description:
      'When a pod counts as ready (gets messages, satisfies depends_on "ready"): "started" once spawned, "signal" when it prints "system.ready", or a table with one of log (regex on an output line), exec, http, tcp.',
    default: TASK_DEFAULTS.ready,
  });
