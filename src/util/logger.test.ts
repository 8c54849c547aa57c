import { describe, expect, test } from 'vitest';
import { logRecordJson } from './log-json.js';
import { createLogger, silentLogger, type LogRecord } from './logger.js';

function recorded(level: Parameters<typeof createLogger>[0]['level']): { records: LogRecord[]; logger: ReturnType<typeof createLogger> } {
  const records: LogRecord[] = [];
  return { records, logger: createLogger({ level, sink: (r) => void records.push(r), bindings: { name: 'orchestrator' }, now: () => 1234 }) };
}

describe('createLogger', () => {
  test('drops records below the level and keeps the rest, with pino level numbers', () => {
    const { records, logger } = recorded('info');
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn({ task: 'web' }, 'w');
    logger.error({ code: 'E' });
    logger.fatal('f');
    expect(records).toEqual([
      { level: 30, time: 1234, msg: 'i', fields: { name: 'orchestrator' } },
      { level: 40, time: 1234, msg: 'w', fields: { name: 'orchestrator', task: 'web' } },
      { level: 50, time: 1234, msg: undefined, fields: { name: 'orchestrator', code: 'E' } },
      { level: 60, time: 1234, msg: 'f', fields: { name: 'orchestrator' } },
    ]);
    expect(logger.isLevelEnabled('debug')).toBe(false);
    expect(logger.isLevelEnabled('info')).toBe(true);
  });

  test('a child adds its bindings; call fields win over bindings', () => {
    const { records, logger } = recorded('trace');
    const child = logger.child({ pod: 'web-0', task: 'web' }).child({ attempt: 2 });
    child.trace({ task: 'other' }, 'x');
    expect(records).toEqual([{ level: 10, time: 1234, msg: 'x', fields: { name: 'orchestrator', pod: 'web-0', task: 'other', attempt: 2 } }]);
    expect(child.isLevelEnabled('trace')).toBe(true);
  });

  test('silent drops everything', () => {
    const { records, logger } = recorded('silent');
    logger.fatal('f');
    expect(records).toEqual([]);
    expect(logger.isLevelEnabled('fatal')).toBe(false);
    expect(() => silentLogger.error('nothing')).not.toThrow();
  });
});

describe('logRecordJson', () => {
  const base = { level: 40, time: 1234, msg: 'it failed' };

  test('pino shape: level, time, pid, hostname, fields, msg; one line', () => {
    const line = logRecordJson({ ...base, fields: { name: 'orchestrator', task: 'web' } });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['level', 'time', 'pid', 'hostname', 'name', 'task', 'msg']);
    expect(parsed).toMatchObject({ level: 40, time: 1234, pid: process.pid, name: 'orchestrator', task: 'web', msg: 'it failed' });
  });

  test('no msg key when the call passed only fields', () => {
    expect(JSON.parse(logRecordJson({ ...base, msg: undefined, fields: {} }))).not.toHaveProperty('msg');
  });

  test('an error field keeps type, message, stack, its own properties and its cause', () => {
    const cause = new RangeError('inner');
    const err = Object.assign(new TypeError('outer', { cause }), { code: 'E_X' });
    const parsed = JSON.parse(logRecordJson({ ...base, fields: { err } })) as { err: Record<string, unknown> };
    expect(parsed.err).toMatchObject({ type: 'TypeError', message: 'outer', code: 'E_X', cause: { type: 'RangeError', message: 'inner' } });
    expect(parsed.err.stack).toContain('TypeError: outer');
  });

  test('cycles, bigints and self-referencing errors never throw', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    const shared = { y: 2 };
    const err = new Error('loop') as Error & { again?: Error };
    err.again = err;
    const parsed = JSON.parse(logRecordJson({ ...base, fields: { a, n: 10n, twice: [shared, shared], err } })) as Record<string, unknown>;
    expect(parsed.a).toEqual({ x: 1, self: '[Circular]' });
    expect(parsed.n).toBe('10');
    expect(parsed.twice).toEqual([{ y: 2 }, { y: 2 }]);
    expect((parsed.err as { again: { message: string } }).again.message).toBe('loop');
  });
});
