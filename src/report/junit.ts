import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { attributes, escapeAttribute, escapeText } from './xml.js';

/** Lines of output put into a `<failure>` or `<error>`: the end of the output is where the reason usually is. */
export const FAILURE_LINES = 50;

/**
 * How one job replica ended. `kind` is a short machine-friendly reason such as "exit-code" or
 * "signal". `failed`: it ran and exited with a code outside success_exit_codes (a test failure);
 * `errored`: it never got to an exit code of its own (it could not start, was killed by a signal,
 * or had not finished when the run ended).
 */
export type JUnitResult =
  | { readonly type: 'passed' }
  | { readonly type: 'failed'; readonly message: string; readonly kind: string }
  | { readonly type: 'errored'; readonly message: string; readonly kind: string }
  | { readonly type: 'skipped'; readonly message: string };

/** One output line of a replica, with the stream it was printed on. */
export interface JUnitOutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface JUnitCase {
  /** The replica, e.g. "migrate-1": the test case name. */
  readonly name: string;
  readonly durationMs: number;
  readonly result: JUnitResult;
  /** Output lines of both streams in the order they were read, oldest first; already bounded by the caller. */
  readonly output: readonly JUnitOutputLine[];
}

export interface JUnitSuite {
  /** The task name: suite name and test case classname. */
  readonly task: string;
  readonly cases: readonly JUnitCase[];
}

export interface JUnitReport {
  /** The name of the whole report: the tasks.toml path as reportName() gives it, never absolute. */
  readonly name: string;
  /** When the run started. */
  readonly startedAt: Date;
  readonly durationMs: number;
  /** Jobs only, in file order; services are not test cases. */
  readonly suites: readonly JUnitSuite[];
}

/**
 * JUnit XML that CI consumers accept, Jenkins xunit's strict junit-10 schema included:
 * `<testsuites name tests failures errors time>` (no other attributes), one
 * `<testsuite name tests failures errors skipped time timestamp>` per job task and one
 * `<testcase classname name time>` per replica (classname = task, name = replica).
 * In a test case, in this order: `<failure message type>` for a failed replica or
 * `<error message type>` for an errored one, whose text is the last FAILURE_LINES output lines of
 * both streams; `<skipped message>` for a skipped task's replicas; `<system-out>` with its stdout
 * lines and `<system-err>` with its stderr lines, each left out when empty.
 * Text is XML-escaped with ANSI sequences and characters XML forbids removed.
 */
export function renderJUnit(report: JUnitReport): string {
  const all = report.suites.flatMap((suite) => suite.cases);
  // junit-10 allows no `skipped` (nor `timestamp`) here: they are on each <testsuite>.
  const { tests, failures, errors } = counts(all);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${attributes({ name: report.name, tests, failures, errors, time: seconds(report.durationMs) })}>`);
  for (const suite of report.suites) {
    const time = suite.cases.reduce((sum, c) => sum + c.durationMs, 0);
    lines.push(`  <testsuite${attributes({ name: suite.task, ...counts(suite.cases), time: seconds(time), timestamp: isoSeconds(report.startedAt) })}>`);
    for (const testCase of suite.cases) lines.push(...renderCase(suite.task, testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function renderCase(task: string, testCase: JUnitCase): string[] {
  const open = `    <testcase${attributes({ classname: task, name: testCase.name, time: seconds(testCase.durationMs) })}`;
  const body: string[] = [];
  const { result, output } = testCase;
  if (result.type === 'failed' || result.type === 'errored') {
    const element = result.type === 'failed' ? 'failure' : 'error';
    const tail = output.slice(-FAILURE_LINES).map((line) => line.text).join('\n');
    body.push(`      <${element} message="${escapeAttribute(result.message)}" type="${escapeAttribute(result.kind)}">${escapeText(tail)}</${element}>`);
  } else if (result.type === 'skipped') {
    body.push(`      <skipped message="${escapeAttribute(result.message)}"/>`);
  }
  for (const [stream, element] of [['stdout', 'system-out'], ['stderr', 'system-err']] as const) {
    const text = output.filter((line) => line.stream === stream).map((line) => line.text);
    if (text.length > 0) body.push(`      <${element}>${escapeText(text.join('\n'))}</${element}>`);
  }
  if (body.length === 0) return [`${open}/>`];
  return [`${open}>`, ...body, '    </testcase>'];
}

function counts(cases: readonly JUnitCase[]): { tests: number; failures: number; errors: number; skipped: number } {
  const of = (type: JUnitResult['type']): number => cases.filter((c) => c.result.type === type).length;
  return { tests: cases.length, failures: of('failed'), errors: of('errored'), skipped: of('skipped') };
}

/**
 * The report's name for the tasks.toml at `file`: relative to `cwd` when inside it (what CI ran:
 * "examples/ci/tasks.toml"), else its directory's name and its own ("ci/tasks.toml"). Never
 * absolute, so reports of the same pipeline match across machines.
 */
export function reportName(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  return [path.basename(path.dirname(file)), path.basename(file)].filter((part) => part !== '' && part !== path.sep).join('/');
}

/** JUnit times are seconds with a decimal point. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** ISO 8601 without milliseconds or zone designator, as the JUnit schema's timestamp type wants. */
function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * Writes the report next to its final name and renames it into place, so a CI step never reads a
 * half-written file. Creates the directory if needed.
 */
/** Written whole (temp file, then rename) and 0600: it holds the jobs' last output lines. */
export async function writeJUnitReport(file: string, report: JUnitReport): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, renderJUnit(report), { encoding: 'utf8', mode: 0o600 });
  await rename(temporary, file);
}
