import { randomUUID } from 'node:crypto';
import type { TaskSpec } from '../config/types.js';
import type { ExitInfo } from './exit.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { BatchedWriter } from './batched-writer.js';
import { buildPodEnv } from './pod-env.js';
import { podCommand } from './pod-template.js';
import { assertTransition, type PodState } from './pod-state.js';
import { osProcessGroups, type ProcessGroups } from './process-groups.js';
import type { SpawnedProcess, Spawner } from './spawner.js';
import { checkWorkingDirectory, describeStartFailure } from './start-error.js';

/** Where one run's output goes; opened per process start, closed after its stdio ended. */
export interface PodRunIO {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** The pod's stdin accepted everything written so far. */
  stdinDrained(): void;
  /** Stdio has ended: flush partial lines. Called once, before the exit is reported. */
  close(): void;
}

/**
 * Process groups the pod starts, reported so a watchdog (or the next run) can reap them if we die.
 * Calls are synchronous and bracket the spawn, so a process is known from the instant it exists.
 */
export interface GroupRegistry {
  /** Variables every pod's environment carries so the registry can find its processes later. */
  readonly podEnv?: Readonly<Record<string, string>>;
  /** Right before spawning the process that will carry ORCHESTRATOR_POD_ID=`podId`. */
  spawning(podId: string): void;
  /** The spawn call returned: the new group `pgid`, or null when no process was created. */
  spawned(podId: string, pgid: number | null): void;
  /** Every process of the group is gone. */
  remove(pgid: number): void;
}

export interface PodDeps {
  readonly spawner: Spawner;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly groups: GroupRegistry;
  /** Signals and probes the pod's process groups; default the real ones (osProcessGroups). */
  readonly processGroups?: ProcessGroups;
  readonly configDir: string;
  readonly inheritedEnv: Readonly<Record<string, string | undefined>>;
  readonly extraEnv?: Readonly<Record<string, string>>;
  openIO(pod: Pod): PodRunIO;
  /** Every state change, after it happened. */
  onState(pod: Pod, previous: PodState): void;
  /** The process ended on its own (not stopped by us); the controller decides what comes next. */
  onExit(pod: Pod, exit: ExitInfo, ranMs: number): void;
}

/** How long a leader's stdio may stay open after the whole group was killed. */
const STDIO_CLOSE_TIMEOUT_MS = 2000;
const GROUP_POLL_MS = 20;

/** One replica slot: runs its command, restarts only when told, stops its whole process group. */
export class Pod {
  readonly name: string;
  private current: PodState = { phase: 'pending' };
  private child: SpawnedProcess | null = null;
  /** Batches this run's stdin writes (one syscall per turn); null while no process runs. */
  private stdin: BatchedWriter | null = null;
  private pgid: number | null = null;
  private runEnv: Readonly<Record<string, string>> | null = null;
  private stopWaiters: Array<() => void> = [];
  private graceTimer: TimerHandle | null = null;
  private restartTimer: TimerHandle | null = null;
  private stopRequested = false;
  private readonly processGroups: ProcessGroups;
  restarts = 0;
  /** When the controller last scheduled a restart (epoch ms); null before the first. */
  lastRestartAt: number | null = null;
  lastExit: ExitInfo | null = null;
  /** When the replica slot was created (epoch ms), for `ps` AGE. */
  readonly createdAt: number;

  constructor(
    readonly spec: TaskSpec,
    readonly index: number,
    private readonly deps: PodDeps,
  ) {
    this.name = `${spec.name}-${index}`;
    this.createdAt = deps.clock.now();
    this.processGroups = deps.processGroups ?? osProcessGroups;
  }

  get state(): PodState {
    return this.current;
  }

  /** The environment the latest run was spawned with, built once per start; null before the first spawn. */
  get env(): Readonly<Record<string, string>> | null {
    return this.runEnv;
  }

  get pid(): number | null {
    return this.current.phase === 'running' || this.current.phase === 'stopping' ? this.current.pid : null;
  }

  /** The single mutation point of `state`. */
  private transition(next: PodState): void {
    const previous = this.current;
    assertTransition(this.name, previous.phase, next.phase);
    this.current = next;
    this.deps.onState(this, previous);
  }

  /** Spawns the command now. Only from pending, backoff or a finished run. */
  start(): void {
    if (this.stopRequested) return;
    const podId = randomUUID();
    this.transition({ phase: 'starting', podId });
    const id = { task: this.spec.name, name: this.name, index: this.index, podId };
    const { command, cwd } = podCommand(this.spec, id);
    const [file, ...args] = command;
    if (file === undefined) throw new Error(`pod ${this.name}: empty command`);
    const badCwd = checkWorkingDirectory(file, cwd);
    if (badCwd !== null) {
      this.reportExit({ code: null, signal: null, startError: badCwd }, 0);
      return;
    }
    const env = buildPodEnv(this.deps.inheritedEnv, this.spec, id, this.deps.configDir, this.deps.extraEnv);
    this.runEnv = env;
    this.deps.groups.spawning(podId);
    const spawned = this.deps.spawner({ file, args, cwd, env });
    const child = spawned.process;
    // Registered before anything else can run: from here on a crash of ours cannot orphan it.
    this.deps.groups.spawned(podId, child.pid ?? null);
    if (child.pid !== undefined) this.pgid = child.pid;
    this.child = child;
    child.once('spawn', () => this.onSpawn(child, podId));
    void spawned.startFailure.then((failure) => {
      if (failure === null || this.child !== child) return;
      this.child = null;
      this.reportExit({ code: null, signal: null, startError: describeStartFailure(file, failure) }, 0);
    });
  }

  private onSpawn(child: SpawnedProcess, podId: string): void {
    const pid = child.pid;
    if (pid === undefined) return;
    const startedAt = this.deps.clock.now();
    const io = this.deps.openIO(this);
    this.stdin = child.stdin === null ? null : new BatchedWriter(child.stdin, () => io.stdinDrained());
    child.stdout?.on('data', (chunk: Buffer) => io.stdout(chunk));
    child.stderr?.on('data', (chunk: Buffer) => io.stderr(chunk));
    // A pod that exits or never reads stdin makes writes fail with EPIPE; its exit is what matters.
    child.stdin?.on('error', () => {});
    this.transition({ phase: 'running', podId, pid, startedAt });
    child.once('exit', (code, signal) => {
      // Docker semantics: when the leader exits, the rest of its group goes with it.
      this.processGroups.signal(pid, 'SIGKILL');
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        settled = true;
        this.deps.clock.clearTimeout(timer);
        io.close();
        void this.afterGroupGone(pid).then(() => this.onProcessGone({ code, signal, startError: null }, this.deps.clock.now() - startedAt));
      };
      const timer = this.deps.clock.setTimeout(() => {
        // Something outside the group holds the pipes open; stop waiting for them.
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle();
      }, STDIO_CLOSE_TIMEOUT_MS);
      child.once('close', settle);
    });
    if (this.stopRequested) this.signalStop();
  }

  private async afterGroupGone(pgid: number): Promise<void> {
    while (this.processGroups.alive(pgid)) {
      await new Promise<void>((resolve) => this.deps.clock.setTimeout(resolve, GROUP_POLL_MS));
    }
    this.deps.groups.remove(pgid);
  }

  private onProcessGone(exit: ExitInfo, ranMs: number): void {
    this.child = null;
    this.stdin = null;
    this.pgid = null;
    if (this.graceTimer !== null) this.deps.clock.clearTimeout(this.graceTimer);
    this.graceTimer = null;
    if (this.current.phase === 'stopping' || this.stopRequested) {
      this.lastExit = exit;
      this.finishStop(exit);
      return;
    }
    this.reportExit(exit, ranMs);
  }

  private reportExit(exit: ExitInfo, ranMs: number): void {
    this.lastExit = exit;
    if (this.stopRequested) {
      this.finishStop(exit);
      return;
    }
    this.deps.onExit(this, exit, ranMs);
  }

  /** Controller decision: start again after `delayMs` (0 = now). */
  scheduleRestart(delayMs: number, exit: ExitInfo): void {
    this.restarts += 1;
    this.lastRestartAt = this.deps.clock.now();
    this.transition({ phase: 'backoff', until: this.deps.clock.now() + delayMs, delayMs, lastExit: exit });
    this.restartTimer = this.deps.clock.setTimeout(() => {
      this.restartTimer = null;
      this.start();
    }, delayMs);
  }

  /** Controller decision: this run is final. */
  complete(exit: ExitInfo, succeeded: boolean): void {
    this.transition(succeeded ? { phase: 'succeeded', exit } : { phase: 'failed', exit });
  }

  /**
   * Stops the pod: stop_signal to its process group, SIGKILL after grace_period (or at once with
   * `force`). Resolves when every process of the group is gone. Safe to call repeatedly.
   */
  stop(options: { force?: boolean } = {}): Promise<void> {
    this.stopRequested = true;
    const done = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    switch (this.current.phase) {
      case 'pending':
      case 'backoff':
      case 'succeeded':
      case 'failed':
        if (this.restartTimer !== null) this.deps.clock.clearTimeout(this.restartTimer);
        this.restartTimer = null;
        this.finishStop(this.lastExit);
        break;
      case 'running':
        this.signalStop();
        if (options.force === true) this.kill();
        break;
      case 'stopping':
        if (options.force === true) this.kill();
        break;
      case 'starting':
        // onSpawn or the start failure finishes the stop once the outcome is known.
        break;
      case 'stopped':
        this.finishStop(this.lastExit);
        break;
    }
    return done;
  }

  private signalStop(): void {
    const state = this.current;
    if (state.phase !== 'running') return;
    this.transition({ phase: 'stopping', podId: state.podId, pid: state.pid, since: this.deps.clock.now() });
    this.processGroups.signal(state.pid, this.spec.stopSignal);
    this.graceTimer = this.deps.clock.setTimeout(() => this.kill(), this.spec.gracePeriodMs);
  }

  /** SIGKILL to the whole group, now. */
  kill(): void {
    if (this.pgid !== null) this.processGroups.signal(this.pgid, 'SIGKILL');
  }

  /**
   * Sends `signal` to the whole group without stopping the pod: whatever exit follows is an
   * ordinary exit, restarted per the task's policy (`orchestrator kill POD`). False when no group runs.
   */
  signal(signal: NodeJS.Signals): boolean {
    if (this.pgid === null || this.current.phase !== 'running') return false;
    this.processGroups.signal(this.pgid, signal);
    return true;
  }

  private finishStop(exit: ExitInfo | null): void {
    if (this.current.phase !== 'stopped') this.transition({ phase: 'stopped', exit });
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Writes to the pod's stdin, batched per turn (see BatchedWriter); false when the pipe is full
   * (write nothing more until stdinDrained). Without a running process the chunk is discarded.
   */
  write(chunk: string | Buffer): boolean {
    const stdin = this.stdin;
    if (stdin === null || this.child?.stdin?.destroyed !== false) return true;
    return stdin.write(chunk);
  }

  /** Stops reading stdout and stderr (both can publish, so both are held back). */
  pauseOutput(): void {
    this.child?.stdout?.pause();
    this.child?.stderr?.pause();
  }

  resumeOutput(): void {
    this.child?.stdout?.resume();
    this.child?.stderr?.resume();
  }
}
