import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { attributes, escapeAttribute, escapeText } from './xml.js';

/** Lines of output put into a `<failure>`: the end of the output is where the reason usually is. */
export const FAILURE_LINES = 50;

/** How one job replica ended. `type` is a short machine-friendly kind such as "exit-code" or "signal". */
export type JUnitResult =
  | { readonly type: 'passed' }
  | { readonly type: 'failed'; readonly message: string; readonly kind: string }
  | { readonly type: 'skipped'; readonly message: string };

export interface JUnitCase {
  /** The replica, e.g. "migrate-1": the test case name. */
  readonly name: string;
  readonly durationMs: number;
  readonly result: JUnitResult;
  /** Output lines (stdout and stderr interleaved), oldest first; already bounded by the caller. */
  readonly output: readonly string[];
}

export interface JUnitSuite {
  /** The task name: suite name and test case classname. */
  readonly task: string;
  readonly cases: readonly JUnitCase[];
}

export interface JUnitReport {
  /** Shown as the name of the whole report, e.g. the tasks.toml path. */
  readonly name: string;
  /** When the run started. */
  readonly startedAt: Date;
  readonly durationMs: number;
  /** Jobs only, in file order; services are not test cases. */
  readonly suites: readonly JUnitSuite[];
}

/**
 * JUnit XML as GitLab, Jenkins and the GitHub report actions read it: `<testsuites>` with one
 * `<testsuite>` per job task and one `<testcase>` per replica (classname = task, name = replica).
 * A failed replica has `<failure message type>` whose text is the last FAILURE_LINES output lines;
 * a skipped task's replicas have `<skipped message>`; all output goes to `<system-out>`.
 * Text is XML-escaped with ANSI sequences and characters XML forbids removed.
 */
export function renderJUnit(report: JUnitReport): string {
  const all = report.suites.flatMap((suite) => suite.cases);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${attributes({ name: report.name, ...counts(all), time: seconds(report.durationMs), timestamp: isoSeconds(report.startedAt) })}>`);
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
  const { result } = testCase;
  if (result.type === 'failed') {
    const tail = testCase.output.slice(-FAILURE_LINES).join('\n');
    body.push(`      <failure message="${escapeAttribute(result.message)}" type="${escapeAttribute(result.kind)}">${escapeText(tail)}</failure>`);
  } else if (result.type === 'skipped') {
    body.push(`      <skipped message="${escapeAttribute(result.message)}"/>`);
  }
  if (testCase.output.length > 0) body.push(`      <system-out>${escapeText(testCase.output.join('\n'))}</system-out>`);
  if (body.length === 0) return [`${open}/>`];
  return [`${open}>`, ...body, '    </testcase>'];
}

function counts(cases: readonly JUnitCase[]): Record<string, number> {
  const failures = cases.filter((c) => c.result.type === 'failed').length;
  const skipped = cases.filter((c) => c.result.type === 'skipped').length;
  return { tests: cases.length, failures, errors: 0, skipped };
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
export async function writeJUnitReport(file: string, report: JUnitReport): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, renderJUnit(report), 'utf8');
  await rename(temporary, file);
}
