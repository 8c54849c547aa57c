import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { describeLost, lostFromError, lostSignal, StdioGuard, type OutputLost } from './stdio-guard.js';

class FakeStream extends EventEmitter {
  readonly written: string[] = [];
  throwOnWrite: Error | null = null;
  write(chunk: string): boolean {
    if (this.throwOnWrite !== null) throw this.throwOnWrite;
    this.written.push(chunk);
    return true;
  }
}

const errno = (code: string): Error => Object.assign(new Error(`write ${code}`), { code });

function setup(terminals: boolean[] = [true, true, true]) {
  const stdout = new FakeStream();
  const stderr = new FakeStream();
  const tty = [...terminals];
  const nulled: number[] = [];
  const guard = new StdioGuard({ stdout, stderr, isatty: (fd) => tty[fd] === true, toDevNull: (fd) => nulled.push(fd) });
  const lost: OutputLost[] = [];
  guard.onLost((l) => lost.push(l));
  return { stdout, stderr, tty, nulled, guard, lost };
}

describe('StdioGuard', () => {
  it('passes writes through while the streams work', () => {
    const { stdout, stderr, guard, lost } = setup();
    guard.stdout.write('a\n');
    guard.stderr.write('b\n');
    expect(stdout.written).toEqual(['a\n']);
    expect(stderr.written).toEqual(['b\n']);
    expect(lost).toEqual([]);
    expect(guard.lost).toBeNull();
  });

  it('EIO on stdout: reported once as a hangup, later writes to the dead terminal dropped', () => {
    const { stdout, stderr, tty, guard, lost } = setup();
    tty.fill(false);
    stdout.emit('error', errno('EIO'));
    stdout.emit('error', errno('EIO'));
    stderr.emit('error', errno('EIO'));
    guard.stdout.write('dropped\n');
    guard.stderr.write('dropped\n');
    expect(stdout.written).toEqual([]);
    expect(stderr.written).toEqual([]);
    expect(lost).toEqual([{ reason: 'hangup', stream: 'stdout', code: 'EIO' }]);
  });

  it('a hangup leaves a redirected stderr working', () => {
    const { stdout, stderr, tty, guard } = setup([true, true, false]);
    tty[0] = tty[1] = false;
    stdout.emit('error', errno('EIO'));
    guard.stderr.write('still here\n');
    expect(stderr.written).toEqual(['still here\n']);
  });

  it('EPIPE on stdout: a closed pipe, stderr keeps working', () => {
    const { stdout, stderr, guard, lost } = setup([false, false, false]);
    stdout.emit('error', errno('EPIPE'));
    guard.stdout.write('dropped\n');
    guard.stderr.write('kept\n');
    expect(stdout.written).toEqual([]);
    expect(stderr.written).toEqual(['kept\n']);
    expect(lost).toEqual([{ reason: 'pipe', stream: 'stdout', code: 'EPIPE' }]);
  });

  it('a write that throws counts as a failed write, never escapes', () => {
    const { stdout, guard, lost } = setup([false, false, false]);
    stdout.throwOnWrite = errno('ENOSPC');
    expect(() => guard.stdout.write('x')).not.toThrow();
    expect(lost).toEqual([{ reason: 'error', stream: 'stdout', code: 'ENOSPC' }]);
  });

  it('checkHangup: false while the terminal is there (kill -HUP), true once it is gone', () => {
    const { tty, guard, lost, stdout } = setup();
    expect(guard.checkHangup()).toBe(false);
    expect(lost).toEqual([]);
    tty.fill(false);
    expect(guard.checkHangup()).toBe(true);
    expect(guard.checkHangup()).toBe(true);
    expect(lost).toEqual([{ reason: 'hangup', stream: null, code: null }]);
    guard.stdout.write('dropped');
    expect(stdout.written).toEqual([]);
  });

  it('checkHangup: never true when nothing was a terminal (stdio redirected, as under nohup)', () => {
    const { tty, guard } = setup([false, false, false]);
    tty.fill(false);
    expect(guard.checkHangup()).toBe(false);
  });

  it('onLost after the loss is called at once', () => {
    const { stdout, guard } = setup([false, false, false]);
    stdout.emit('error', errno('EPIPE'));
    const late: OutputLost[] = [];
    guard.onLost((l) => late.push(l));
    expect(late).toHaveLength(1);
  });

  it('releaseDeadTerminal: only descriptors that were a terminal and are none now go to /dev/null', () => {
    const { tty, guard, nulled } = setup([true, true, false]);
    guard.releaseDeadTerminal();
    expect(nulled).toEqual([]);
    tty[0] = false;
    tty[1] = false;
    guard.releaseDeadTerminal();
    expect(nulled).toEqual([0, 1]);
  });
});

describe('lost output', () => {
  it('classifies errno codes', () => {
    expect(lostFromError('stdout', errno('EIO')).reason).toBe('hangup');
    expect(lostFromError('stderr', errno('ENXIO')).reason).toBe('hangup');
    expect(lostFromError('stdout', errno('EPIPE')).reason).toBe('pipe');
    expect(lostFromError('stdout', new Error('no code'))).toEqual({ reason: 'error', stream: 'stdout', code: null });
  });

  it('counts as SIGPIPE for a pipe, SIGHUP otherwise', () => {
    expect(lostSignal({ reason: 'pipe', stream: 'stdout', code: 'EPIPE' })).toBe('SIGPIPE');
    expect(lostSignal({ reason: 'hangup', stream: null, code: null })).toBe('SIGHUP');
    expect(lostSignal({ reason: 'error', stream: 'stdout', code: 'ENOSPC' })).toBe('SIGHUP');
  });

  it('describes the loss', () => {
    expect(describeLost({ reason: 'hangup', stream: null, code: null })).toBe('the terminal hung up');
    expect(describeLost({ reason: 'hangup', stream: 'stdout', code: 'EIO' })).toBe('the terminal hung up (stdout: write EIO)');
    expect(describeLost({ reason: 'pipe', stream: 'stdout', code: 'EPIPE' })).toBe('the reader of stdout closed the pipe (stdout: write EPIPE)');
  });
});
