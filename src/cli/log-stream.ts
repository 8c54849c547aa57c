import { fchmodSync, fstatSync, openSync } from 'node:fs';
import pino from 'pino';
import type { Logger } from '../util/logger.js';
import type { TerminalPrinter } from './printer.js';
import type { SafeWriter } from './stdio-guard.js';
import { UsageError } from './usage-error.js';

export type LogFormat = 'pretty' | 'json';

const levelNames: Record<number, 'debug' | 'info' | 'warn' | 'error'> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The orchestrator's own logger. `pretty` renders each record as one prefixed line through the
 * same printer as pod output (so ordering is kept); `json` writes pino's JSON lines to stdout;
 * `--log-file` adds JSON lines to a file (mode 0600).
 */
export function createLogger(options: { level: string; format: LogFormat; file: string | null; printer: TerminalPrinter; stdout: SafeWriter }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.format === 'json') {
    // Through the guarded stdout: a closed pipe or a hung-up terminal drops lines instead of throwing.
    streams.push({ level: options.level as pino.Level, stream: { write: (s: string) => options.stdout.write(s) } });
  } else {
    streams.push({ level: options.level as pino.Level, stream: { write: (s: string) => renderPretty(s, options.printer) } });
  }
  let problem: string | null = null;
  if (options.file !== null) {
    const file = openPrivateLog(options.file);
    problem = file.problem;
    // Synchronous, so the last lines before process.exit (the summary, "stopped by …") are never lost.
    streams.push({ level: options.level as pino.Level, stream: pino.destination({ fd: file.fd, sync: true }) });
  }
  const logger = pino({ level: options.level, base: { name: 'orchestrator' } }, pino.multistream(streams));
  if (problem !== null) logger.warn(problem);
  return logger;
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

function renderPretty(record: string, printer: TerminalPrinter): void {
  try {
    const parsed = JSON.parse(record) as { level: number; msg?: string; err?: { message?: string } };
    const text = parsed.msg ?? '';
    const error = parsed.err?.message !== undefined && !text.includes(parsed.err.message) ? `: ${parsed.err.message}` : '';
    printer.system(text + error, levelNames[parsed.level] ?? 'info');
  } catch {
    printer.system(record.trimEnd());
  }
}
