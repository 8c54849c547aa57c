import { closeSync, openSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * Why the CLI's output went away. `hangup`: the terminal is gone (closed window, dropped SSH): writes
 * fail with EIO and the terminal's descriptors are no longer terminals. `pipe`: the reader of a
 * stdout / stderr pipe closed it (EPIPE, `orchestrator run | head`). `error`: any other write error.
 */
export interface OutputLost {
  readonly reason: 'hangup' | 'pipe' | 'error';
  /** The stream whose write failed; null when a SIGHUP found the terminal gone. */
  readonly stream: 'stdout' | 'stderr' | null;
  /** errno code of the failed write (EIO, EPIPE, …); null for a SIGHUP. */
  readonly code: string | null;
}

/** The signal a lost output counts as, for the exit code (128 + N): SIGPIPE for a closed pipe, else SIGHUP. */
export function lostSignal(lost: OutputLost): 'SIGHUP' | 'SIGPIPE' {
  return lost.reason === 'pipe' ? 'SIGPIPE' : 'SIGHUP';
}

export function describeLost(lost: OutputLost): string {
  const where = lost.stream === null ? '' : ` (${lost.stream}: write ${lost.code ?? 'failed'})`;
  switch (lost.reason) {
    case 'hangup':
      return `the terminal hung up${where}`;
    case 'pipe':
      return `the reader of ${lost.stream ?? 'the output'} closed the pipe${where}`;
    case 'error':
      return `writing ${lost.stream ?? 'the output'} failed${where}`;
  }
}

export function lostFromError(stream: 'stdout' | 'stderr', error: unknown): OutputLost {
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : null;
  return { reason: text === 'EPIPE' ? 'pipe' : text === 'EIO' || text === 'ENXIO' ? 'hangup' : 'error', stream, code: text };
}

interface StdStream {
  write(chunk: string): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface StdioDeps {
  readonly stdout: StdStream;
  readonly stderr: StdStream;
  /** Whether descriptor 0, 1 or 2 is a terminal now (a hung-up terminal no longer is one). */
  readonly isatty: (fd: number) => boolean;
  /** Points descriptor `fd` at /dev/null. */
  readonly toDevNull: (fd: number) => void;
}

/** A write-only view of stdout or stderr that never throws and drops text once the stream is lost. */
export interface SafeWriter {
  write(chunk: string): void;
}

/**
 * The CLI's stdout and stderr, made safe to write to when they break: a failed write (EIO after a
 * terminal hangup, EPIPE from a closed pipe) is reported once through `onLost` and every later
 * write to that stream is dropped, so a broken terminal never crashes or stops a command by
 * itself; the command decides (`run` stops its pods gracefully).
 *
 * Node 20 aborts at exit when it cannot restore a terminal's settings (its exit path calls
 * tcsetattr on every descriptor that was a terminal at start, and asserts it succeeds; after a
 * hangup it fails with EIO). `releaseDeadTerminal` points such descriptors at /dev/null first, so
 * the exit is clean.
 */
export class StdioGuard {
  readonly stdout: SafeWriter;
  readonly stderr: SafeWriter;
  private readonly wasTerminal: readonly boolean[];
  private readonly dead = new Set<'stdout' | 'stderr'>();
  private readonly listeners: Array<(lost: OutputLost) => void> = [];
  private first: OutputLost | null = null;

  constructor(private readonly deps: StdioDeps) {
    this.wasTerminal = [0, 1, 2].map((fd) => deps.isatty(fd));
    this.stdout = this.writer('stdout', deps.stdout);
    this.stderr = this.writer('stderr', deps.stderr);
  }

  /** The first loss, or null while output works. */
  get lost(): OutputLost | null {
    return this.first;
  }

  /** Called once, with the first loss (at once if it already happened). */
  onLost(listener: (lost: OutputLost) => void): void {
    this.listeners.push(listener);
    if (this.first !== null) listener(this.first);
  }

  /**
   * For SIGHUP: true (and the output counted as lost) when a descriptor that was a terminal at start
   * is none any more, i.e. the terminal hung up; false for a SIGHUP sent by someone (`kill -HUP`).
   */
  checkHangup(): boolean {
    if (this.first?.reason === 'hangup') return true;
    if (!this.terminalGone()) return false;
    this.markDeadTerminal();
    this.lose({ reason: 'hangup', stream: null, code: null });
    return true;
  }

  /** Before exiting: descriptors of a hung-up terminal now point at /dev/null (see the class comment). */
  releaseDeadTerminal(): void {
    for (const fd of [0, 1, 2]) {
      if (this.wasTerminal[fd] !== true || this.deps.isatty(fd)) continue;
      try {
        this.deps.toDevNull(fd);
      } catch {
        // Nothing left to do: the exit may still fail to restore the terminal, which is gone anyway.
      }
    }
  }

  private terminalGone(): boolean {
    return [0, 1, 2].some((fd) => this.wasTerminal[fd] === true && !this.deps.isatty(fd));
  }

  /** Stops writing to whichever of stdout / stderr was the terminal that hung up (a redirected one keeps working). */
  private markDeadTerminal(): void {
    if (this.wasTerminal[1] === true && !this.deps.isatty(1)) this.dead.add('stdout');
    if (this.wasTerminal[2] === true && !this.deps.isatty(2)) this.dead.add('stderr');
  }

  private writer(name: 'stdout' | 'stderr', stream: StdStream): SafeWriter {
    const fail = (error: unknown): void => {
      if (this.dead.has(name)) return;
      this.dead.add(name);
      const lost = lostFromError(name, error);
      // EIO on one stream of a terminal means the whole terminal is gone.
      if (lost.reason === 'hangup') this.markDeadTerminal();
      this.lose(lost);
    };
    // Stays attached for good: a stream that failed once may emit more errors.
    stream.on('error', fail);
    return {
      write: (chunk) => {
        if (this.dead.has(name)) return;
        try {
          stream.write(chunk);
        } catch (error) {
          fail(error);
        }
      },
    };
  }

  private lose(lost: OutputLost): void {
    if (this.first !== null) return;
    this.first = lost;
    for (const listener of this.listeners) listener(lost);
  }
}

/** The process's own stdio. */
export function processStdio(): StdioGuard {
  return new StdioGuard({
    stdout: process.stdout,
    stderr: process.stderr,
    isatty,
    toDevNull: (fd) => {
      // close + open takes the lowest free descriptor, which is `fd` unless another open races us;
      // then `fd` just stays closed, which Node's exit skips as well.
      closeSync(fd);
      const opened = openSync('/dev/null', fd === 0 ? 'r' : 'w');
      if (opened !== fd) closeSync(opened);
    },
  });
}
