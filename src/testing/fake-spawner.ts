/** Test support (not built): a Spawner whose children are driven by the test. */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { SpawnedProcess, Spawner, SpawnRequest, StartFailure } from '../pod/spawner.js';

/**
 * A child process the test drives: nothing happens until it calls `spawn()`, `exit()`, `close()`
 * (or `crash()`, `die()`). stdio are PassThroughs: write to `stdout` to make the pod read output,
 * read `stdin` to see what the pod wrote.
 */
export class FakeChild extends EventEmitter implements SpawnedProcess {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private started = false;
  private exited = false;
  private closed = false;
  private resolveStart: (failure: StartFailure | null) => void = () => {};
  /** What the pod awaits: null once spawned, the failure after `failStart`. */
  readonly startFailure = new Promise<StartFailure | null>((resolve) => (this.resolveStart = resolve));

  constructor(
    readonly pid: number,
    readonly request: SpawnRequest,
  ) {
    super();
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** The OS started the process ('spawn'). */
  spawn(): void {
    if (this.started) return;
    this.started = true;
    this.resolveStart(null);
    this.emit('spawn');
  }

  /** The process could not be started (as Node's 'error' before 'spawn'). */
  failStart(failure: StartFailure): void {
    this.resolveStart(failure);
  }

  /** The process ended ('exit'); stdio stay open until `close()`. Only the first call counts. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.emit('exit', code, signal);
  }

  /** Its stdio ended ('close', after the streams end). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stdout.end();
    this.stderr.end();
    this.emit('close');
  }

  /** Exits with `code` and closes its stdio. */
  crash(code: number): void {
    this.exit(code, null);
    this.close();
  }

  /** Killed by `signal`: exits and closes its stdio. */
  die(signal: NodeJS.Signals): void {
    if (this.exited) return;
    this.exit(null, signal);
    this.close();
  }
}

export interface FakeSpawnerOptions {
  /** Emit 'spawn' on every child a microtask after it was created (default false: the test calls `spawn()`). */
  readonly autoSpawn?: boolean;
  /** Pid of the first child; each next one gets the next number. Default 1000. */
  readonly firstPid?: number;
}

/** Records every spawn request and hands out FakeChild processes in order. */
export class FakeSpawner {
  readonly requests: SpawnRequest[] = [];
  readonly children: FakeChild[] = [];
  private nextPid: number;
  private readonly autoSpawn: boolean;

  constructor(options: FakeSpawnerOptions = {}) {
    this.nextPid = options.firstPid ?? 1000;
    this.autoSpawn = options.autoSpawn ?? false;
  }

  readonly spawn: Spawner = (request) => {
    const child = new FakeChild(this.nextPid++, request);
    this.requests.push(request);
    this.children.push(child);
    if (this.autoSpawn) queueMicrotask(() => child.spawn());
    return { process: child, startFailure: child.startFailure };
  };

  get count(): number {
    return this.children.length;
  }

  /** The most recent child; throws when none was spawned. */
  get last(): FakeChild {
    const child = this.children.at(-1);
    if (child === undefined) throw new Error('nothing was spawned');
    return child;
  }

  /** The child with this pid (= its process group), if any. */
  byPid(pid: number): FakeChild | undefined {
    return this.children.find((c) => c.pid === pid);
  }
}
