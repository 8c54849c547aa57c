import { hostname } from 'node:os';
import type { LogRecord } from './logger.js';

const HOST = hostname();

/**
 * One record as a JSON line in pino's shape (`level`, `time`, `pid`, `hostname`, then bindings and
 * fields, then `msg`), so tools that read pino or bunyan logs keep working. An Error in a field (and its
 * cause) becomes `{ type, message, stack, …own properties }`; cycles become "[Circular]" and
 * bigints strings: a log call never throws.
 */
export function logRecordJson(record: LogRecord): string {
  const line: Record<string, unknown> = { level: record.level, time: record.time, pid: process.pid, hostname: HOST };
  for (const [key, value] of Object.entries(record.fields)) line[key] = value instanceof Error ? serializeError(value) : value;
  if (record.msg !== undefined) line.msg = record.msg;
  try {
    return `${JSON.stringify(line)}\n`;
  } catch {
    return `${JSON.stringify(line, safeReplacer())}\n`;
  }
}

/** For the rare record plain JSON refuses: a cycle or a bigint. */
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: object[] = [];
  return function (this: unknown, _key, value) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding `value`: drop the ancestors we have left since.
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    const out = value instanceof Error ? serializeError(value) : value;
    if (typeof out === 'object') ancestors.push(out);
    return out;
  };
}

/** Nested errors (a cause, a property) are followed two levels deep, then printed as text. */
function serializeError(error: Error, depth = 0): Record<string, unknown> | string {
  if (depth > 2) return String(error);
  const nested = (value: unknown): unknown => (value instanceof Error ? serializeError(value, depth + 1) : value);
  const out: Record<string, unknown> = { type: error.constructor?.name ?? 'Error', message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) if (!(key in out)) out[key] = nested(value);
  if (error.cause !== undefined) out.cause = nested(error.cause);
  return out;
}
