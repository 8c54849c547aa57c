import { fchmodSync, fstatSync, openSync, writeSync } from 'node:fs';
import { logRecordJson } from '../util/log-json.js';
import { createLogger, type LogLevel, type LogRecord, type LogSink, type Logger } from '../util/logger.js';
import type { TerminalPrinter } from './printer.js';
import type { SafeWriter } from './stdio-guard.js';
import { UsageError } from './usage-error.js';

export type LogFormat = 'pretty' | 'json';

const levelNames: Record<number, 'debug' | 'info' | 'warn' | 'error'> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The orchestrator's own logger. `pretty` renders each record as one prefixed line through the
 * same printer as pod output (so ordering is kept); `json` writes JSON lines to stdout;
 * `--log-file` adds JSON lines to a file (mode 0600).
 */
export function createRunLogger(options: { level: LogLevel | 'silent'; format: LogFormat; file: string | null; printer: TerminalPrinter; stdout: SafeWriter }): Logger {
  const sinks: LogSink[] = [];
  if (options.format === 'json') {
    // Through the guarded stdout: a closed pipe or a hung-up terminal drops lines instead of throwing.
    sinks.push((record) => options.stdout.write(logRecordJson(record)));
  } else {
    sinks.push((record) => renderPretty(record, options.printer));
  }
  let problem: string | null = null;
  if (options.file !== null) {
    const file = openPrivateLog(options.file);
    problem = file.problem;
    // Synchronous, so the last lines before process.exit (the summary, "stopped by …") are never lost.
    sinks.push((record) => writeLogLine(file.fd, logRecordJson(record)));
  }
  const sink: LogSink = sinks.length === 1 ? sinks[0]! : (record) => { for (const s of sinks) s(record); };
  const logger = createLogger({ level: options.level, sink, bindings: { name: 'orchestrator' } });
  if (problem !== null) logger.warn(problem);
  return logger;
}

/** A full disk or a revoked file must not take the orchestrator down: the line is lost, the run goes on. */
function writeLogLine(fd: number, line: string): void {
  try {
    writeSync(fd, line);
  } catch {
    // Nowhere left to report it: the terminal has the same record.
  }
}

/**
 * Opens `path` for appending, created 0600: the log names pods, commands and messages. An existing
 * file that group or others may read is tightened to 0600 (and said so), not left readable.
 */
function openPrivateLog(path: string): { fd: number; problem: string | null } {
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (error) {
    throw new UsageError(`--log-file ${path}: cannot open it for appending: ${(error as Error).message}`);
  }
  const mode = fstatSync(fd).mode & 0o777;
  if ((mode & 0o077) === 0) return { fd, problem: null };
  const was = `0${mode.toString(8)}`;
  try {
    fchmodSync(fd, 0o600);
    return { fd, problem: `--log-file ${path} was mode ${was}, open to other users; changed it to 0600` };
  } catch (error) {
    return { fd, problem: `--log-file ${path} is mode ${was}, open to other users, and could not be changed to 0600: ${(error as Error).message}` };
  }
}

function renderPretty(record: LogRecord, printer: TerminalPrinter): void {
  const text = record.msg ?? '';
  const err = record.fields.err;
  const message = err instanceof Error ? err.message : typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string' ? (err as { message: string }).message : undefined;
  const error = message !== undefined && !text.includes(message) ? `: ${message}` : '';
  printer.system(text + error, levelNames[record.level] ?? 'info');
}
