import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';

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

export interface Spawned {
  readonly process: SpawnedProcess;
  /** Resolves when the process could not be started, with the errno code and message; never rejects. */
  readonly startFailure: Promise<{ code: string; message: string } | null>;
}

export type Spawner = (request: SpawnRequest) => Spawned;

/**
 * Production spawner: execa in a new process group (detached), raw Buffers, nothing buffered in
 * memory (the pod streams its output), no automatic kill (stopping is the pod's job).
 */
export const execaSpawner: Spawner = (request) => {
  const child = execa(request.file, [...request.args], {
    cwd: request.cwd,
    env: { ...request.env },
    extendEnv: false,
    detached: true,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: false,
    encoding: 'buffer',
    forceKillAfterDelay: false,
    stripFinalNewline: false,
  });
  let started = false;
  child.once('spawn', () => {
    started = true;
  });
  const startFailure = child.then((result) => {
    if (started || !result.failed || typeof result.code !== 'string') return null;
    return { code: result.code, message: result.originalMessage ?? result.shortMessage ?? result.code };
  });
  return { process: child as unknown as SpawnedProcess, startFailure };
};
