import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { openFileLimit, type OpenFileLimit } from './fd-limit.js';

/** The narrow view of a started child the pod needs; fakes in tests implement only this. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  once(event: 'spawn', listener: () => void): unknown;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface SpawnRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The complete environment (nothing is inherited implicitly). */
  readonly env: Readonly<Record<string, string>>;
}

/** Why a process could not be started: the errno code, the system's message, and for EMFILE the fd limit. */
export interface StartFailure {
  readonly code: string;
  readonly message: string;
  readonly limit?: OpenFileLimit;
}

export interface Spawned {
  /** Without a pid when nothing was started; `startFailure` then says why. */
  readonly process: SpawnedProcess;
  /** Resolves when the process could not be started; null once it started. Never rejects. */
  readonly startFailure: Promise<StartFailure | null>;
}

export type Spawner = (request: SpawnRequest) => Spawned;

/**
 * Production spawner: child_process.spawn in a new process group (detached) with three pipes.
 * Not execa: when the fd table is full Node's spawn returns a child without stdio and emits
 * 'error' a tick later, which execa can neither return nor catch (it iterates the missing stdio
 * and throws, leaving the 'error' unhandled): running out of fds would crash the orchestrator.
 * Here every failure, thrown or emitted, becomes this pod's start failure.
 */
export const nodeSpawner: Spawner = (request) => {
  let child: ChildProcess;
  try {
    // The env as built (spawn only reads it): a copy per start is garbage in the middle of a burst of starts.
    child = spawn(request.file, request.args, { cwd: request.cwd, env: request.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return { process: notStarted, startFailure: Promise.resolve(failureOf(error)) };
  }
  const startFailure = new Promise<StartFailure | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    // Kept for the child's lifetime: a later 'error' (none is expected: we never use child.kill) must not crash us.
    child.on('error', (error) => resolve(failureOf(error)));
  });
  return { process: child as unknown as SpawnedProcess, startFailure };
};

function failureOf(error: unknown): StartFailure {
  const errno = error as NodeJS.ErrnoException;
  const code = typeof errno.code === 'string' ? errno.code : 'ERR_SPAWN';
  const message = error instanceof Error ? error.message : String(error);
  if (code !== 'EMFILE') return { code, message };
  const limit = openFileLimit();
  return limit === null ? { code, message } : { code, message, limit };
}

/** Stands in for a child that was never created. */
const notStarted: SpawnedProcess = { pid: undefined, stdin: null, stdout: null, stderr: null, once: () => notStarted };
