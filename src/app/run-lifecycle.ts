import { OrchestratorError } from '../util/errors.js';
import { repeatEvery, type Clock } from '../util/clock.js';
import type { RunOutcome } from './run-outcome.js';

/**
 * A run's lifetime. `completing`: every job is done but messages are still queued or in flight,
 * so the completion check is polled (`cancelPoll` stops it; no event says when the bus drains).
 * `stopping` carries the outcome the run will end with: the first finish() decides it.
 *
 *   idle ──▶ starting ──▶ running ◀──▶ completing
 *     │          │           │            │
 *     └──────────┴───────────┴────────────┴──▶ stopping ──▶ done
 *
 * `starting` goes back to `idle` when the bus cannot start.
 */
export type RunPhase =
  | { readonly phase: 'idle' }
  | { readonly phase: 'starting' }
  | { readonly phase: 'running' }
  | { readonly phase: 'completing'; readonly cancelPoll: () => void }
  | { readonly phase: 'stopping'; readonly outcome: RunOutcome; readonly force: boolean }
  | { readonly phase: 'done'; readonly outcome: RunOutcome };

export type RunPhaseName = RunPhase['phase'];

const allowed: Readonly<Record<RunPhaseName, readonly RunPhaseName[]>> = {
  idle: ['starting', 'stopping'],
  starting: ['running', 'idle', 'stopping'],
  running: ['completing', 'stopping'],
  completing: ['running', 'stopping'],
  // stopping → stopping: a later `force` escalates a stop under way.
  stopping: ['stopping', 'done'],
  done: [],
};

/** A RunPhase change that is not an edge of the lifecycle (code `ILLEGAL_RUN_TRANSITION`): a bug. */
export class RunPhaseError extends OrchestratorError {
  declare readonly code: 'ILLEGAL_RUN_TRANSITION';
  constructor(
    readonly from: RunPhaseName,
    readonly to: RunPhaseName,
  ) {
    super('ILLEGAL_RUN_TRANSITION', `run: illegal transition ${from} -> ${to}`);
  }
}

export function canTransition(from: RunPhaseName, to: RunPhaseName): boolean {
  return allowed[from].includes(to);
}

/** The steps of the one shutdown path, in the order finish() runs them. */
export interface ShutdownSteps {
  /** Task-file watchers stop (no rollout starts during shutdown). */
  closeWatchers(): Promise<void>;
  /** Every pod stops, dependents before what they depend on; `force`: SIGKILL at once. */
  stopPods(options: { force: boolean }): Promise<void>;
  /** Removed tasks whose pods are still stopping are gone. */
  removals(): Promise<void>;
  /** A later `force`: SIGKILL whatever is still alive. */
  escalate(): void;
  /** Logged every 2 s while pods are still stopping. */
  reportWaiting(): void;
  /** Queue signals end, the bus closes. */
  closeBus(): Promise<void>;
  /** The process-group registry closes, after the last pod. */
  closeGroups(): void;
}

export interface FinishOptions {
  /** Stop the pods (false for a run whose jobs have all ended: nothing is left running). */
  readonly stopServices: boolean;
  readonly force?: boolean;
}

/**
 * Holds the RunPhase, changed only in `transition()` (checked against the table above), and runs
 * the one shutdown path, `finish()`, for both a stop and completion.
 */
export class RunLifecycle {
  private current: RunPhase = { phase: 'idle' };
  private launched = false;
  private starting: Promise<unknown> = Promise.resolve();
  private finishing: Promise<void> | null = null;
  private resolveDone!: (outcome: RunOutcome) => void;
  /** Resolves once finish() has run to the end: every process the run started is gone. */
  readonly done: Promise<RunOutcome> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly clock: Clock,
    private readonly steps: ShutdownSteps,
  ) {}

  get phase(): RunPhase {
    return this.current;
  }

  /** Pods were let start (the run reached `running`), stopping or not. */
  get hasStarted(): boolean {
    return this.launched;
  }

  /** A stop or completion is under way or over: the run takes no more changes. */
  get isStopping(): boolean {
    return this.current.phase === 'stopping' || this.current.phase === 'done';
  }

  /** The single mutation point of the phase; leaving `completing` cancels its poll. */
  transition(next: RunPhase): void {
    const previous = this.current;
    if (!canTransition(previous.phase, next.phase)) throw new RunPhaseError(previous.phase, next.phase);
    this.current = next;
    if (next.phase === 'running') this.launched = true;
    if (previous.phase === 'completing') previous.cancelPoll();
  }

  /**
   * idle → starting while `connect` (the bus start) runs; then running, unless a stop came in
   * meanwhile (false: start nothing). A rejected `connect` goes back to idle and rejects with it.
   */
  async start(connect: Promise<void>): Promise<boolean> {
    this.transition({ phase: 'starting' });
    this.starting = connect.catch(() => undefined);
    try {
      await connect;
    } catch (error) {
      if (this.current.phase === 'starting') this.transition({ phase: 'idle' });
      throw error;
    }
    if (this.current.phase !== 'starting') return false;
    this.transition({ phase: 'running' });
    return true;
  }

  /** Every job is done, messages are still on their way: poll `check` every 50 ms on the clock. */
  complete(check: () => void): void {
    if (this.current.phase !== 'running') return;
    this.transition({ phase: 'completing', cancelPoll: repeatEvery(this.clock, 50, check) });
  }

  /** Completion no longer holds (a job runs again): back to running, the poll stops. */
  resume(): void {
    if (this.current.phase === 'completing') this.transition({ phase: 'running' });
  }

  /**
   * The one shutdown path: watchers close → pods stop (dependents first) → removals finish → the
   * bus closes → the group registry closes → `done` resolves with `outcome`. A stop during
   * `starting` first waits for the bus start to settle. A second call gets the same promise and
   * keeps the first outcome; a later `force` escalates.
   */
  finish(outcome: RunOutcome, options: FinishOptions): Promise<void> {
    const force = options.force === true;
    if (this.finishing !== null) {
      const phase = this.current;
      if (force && phase.phase === 'stopping' && !phase.force) {
        this.transition({ ...phase, force: true });
        this.steps.escalate();
      }
      return this.finishing;
    }
    this.transition({ phase: 'stopping', outcome, force });
    this.finishing = this.shutDown(outcome, options.stopServices, force);
    return this.finishing;
  }

  private async shutDown(outcome: RunOutcome, stopServices: boolean, force: boolean): Promise<void> {
    await this.starting;
    const stopReporting = repeatEvery(this.clock, 2000, () => this.steps.reportWaiting());
    try {
      await this.steps.closeWatchers();
      if (stopServices) await this.steps.stopPods({ force });
      await this.steps.removals();
    } finally {
      stopReporting();
    }
    await this.steps.closeBus();
    this.steps.closeGroups();
    this.transition({ phase: 'done', outcome });
    this.resolveDone(outcome);
  }
}
