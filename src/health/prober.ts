import { formatDuration } from '../util/duration.js';
import type { ProbeSpec } from '../config/types.js';
import { type Clock, systemClock, type TimerHandle } from '../util/clock.js';
import { errorReason } from './deadline.js';
import type { Check, ProbeResult } from './types.js';

/**
 * What a Prober reports. `ready`: a check passed after none had (or after `failed`). `failed`:
 * `failureThreshold` consecutive checks failed (reported once per failing streak).
 */
export type ProbeTransition = { readonly type: 'ready' } | { readonly type: 'failed'; readonly reason: string; readonly failures: number };

/** unknown → ready | failed; ready → failed; failed → ready. Never leaves `stopped`. */
export type ProberState = 'unknown' | 'ready' | 'failed' | 'stopped';

export interface ProberOptions {
  readonly spec: Pick<ProbeSpec, 'periodMs' | 'timeoutMs' | 'failureThreshold'>;
  /** One check, e.g. `(signal) => runProbe(spec.action, { timeoutMs, cwd, env, signal })`. */
  readonly check: Check;
  readonly onTransition: (transition: ProbeTransition) => void;
  readonly clock?: Clock;
  /** Before the first check. Default 0 (a liveness prober is best started once the pod is ready). */
  readonly initialDelayMs?: number;
}

/**
 * Runs one probe periodically for one pod. Checks never overlap: the next starts `periodMs` after
 * the previous one ended. A check that does not settle within `timeoutMs` (on the injected clock)
 * counts as failed and is aborted, so a misbehaving check cannot stall the prober.
 */
export class Prober {
  private readonly options: ProberOptions;
  private readonly clock: Clock;
  private currentState: ProberState = 'unknown';
  private failures = 0;
  private timer: TimerHandle | null = null;
  private inFlight: AbortController | null = null;
  private started = false;

  constructor(options: ProberOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  get state(): ProberState {
    return this.currentState;
  }

  /** Consecutive failed checks so far (0 after a pass). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Starts checking; calling it again (or after stop) does nothing. */
  start(): void {
    if (this.started || this.currentState === 'stopped') return;
    this.started = true;
    this.schedule(this.options.initialDelayMs ?? 0);
  }

  /** Clears the timer and aborts a running check; no transition is reported afterwards. */
  stop(): void {
    this.currentState = 'stopped';
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private stopped(): boolean {
    return this.currentState === 'stopped';
  }

  private schedule(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.runOnce();
    }, delayMs);
  }

  private async runOnce(): Promise<void> {
    const controller = new AbortController();
    this.inFlight = controller;
    const result = await this.checkWithTimeout(controller);
    if (this.stopped() || this.inFlight !== controller) return;
    this.inFlight = null;
    this.record(result);
    // onTransition may have stopped us.
    if (!this.stopped()) this.schedule(this.options.spec.periodMs);
  }

  private checkWithTimeout(controller: AbortController): Promise<ProbeResult> {
    const { timeoutMs } = this.options.spec;
    return new Promise<ProbeResult>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        controller.abort();
        resolve({ ok: false, reason: `timed out after ${formatDuration(timeoutMs)}` });
      }, timeoutMs);
      const settle = (result: ProbeResult): void => {
        this.clock.clearTimeout(timer);
        resolve(result);
      };
      let pending: Promise<ProbeResult>;
      try {
        pending = this.options.check(controller.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(settle, (error: unknown) => settle({ ok: false, reason: errorReason(error) }));
    });
  }

  private record(result: ProbeResult): void {
    if (result.ok) {
      this.failures = 0;
      if (this.currentState !== 'ready') this.transition('ready', { type: 'ready' });
      return;
    }
    this.failures++;
    if (this.failures >= this.options.spec.failureThreshold && this.currentState !== 'failed') {
      this.transition('failed', { type: 'failed', reason: result.reason, failures: this.failures });
    }
  }

  private transition(state: 'ready' | 'failed', event: ProbeTransition): void {
    this.currentState = state;
    this.options.onTransition(event);
  }
}
