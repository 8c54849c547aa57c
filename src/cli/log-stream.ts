import { createWriteStream } from 'node:fs';
import pino from 'pino';
import type { Logger } from '../util/logger.js';
import type { TerminalPrinter } from './printer.js';
import type { SafeWriter } from './stdio-guard.js';

export type LogFormat = 'pretty' | 'json';

const levelNames: Record<number, 'debug' | 'info' | 'warn' | 'error'> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'error' };

/**
 * The orchestrator's own logger. `pretty` renders each record as one prefixed line through the
 * same printer as pod output (so ordering is kept); `json` writes pino's JSON lines to stdout;
 * `--log-file` adds JSON lines to a file.
 */
export function createLogger(options: { level: string; format: LogFormat; file: string | null; printer: TerminalPrinter; stdout: SafeWriter }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.format === 'json') {
    // Through the guarded stdout: a closed pipe or a hung-up terminal drops lines instead of throwing.
    streams.push({ level: options.level as pino.Level, stream: { write: (s: string) => options.stdout.write(s) } });
  } else {
    streams.push({ level: options.level as pino.Level, stream: { write: (s: string) => renderPretty(s, options.printer) } });
  }
  if (options.file !== null) streams.push({ level: options.level as pino.Level, stream: createWriteStream(options.file, { flags: 'a' }) });
  return pino({ level: options.level, base: { name: 'orchestrator' } }, pino.multistream(streams));
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
