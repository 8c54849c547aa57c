import type { ExitInfo } from './exit.js';
import { PodStateError } from './errors.js';

/**
 * Lifecycle of one replica slot (`<task>-<index>`). A slot outlives its processes: a restart
 * goes running → backoff → starting → running again, keeping the name and index.
 *
 *   pending ──▶ starting ──▶ running ──▶ stopping ──▶ stopped
 *                  │            │
 *                  ▼            ▼
 *              (exit) ─▶ backoff ─▶ starting …   or   succeeded | failed (terminal, no restart)
 *
 * Any non-terminal state may go to `stopping`/`stopped` when the orchestrator stops the pod.
 */
export type PodState =
  | { readonly phase: 'pending' }
  | { readonly phase: 'starting'; readonly podId: string }
  | { readonly phase: 'running'; readonly podId: string; readonly pid: number; readonly startedAt: number }
  | { readonly phase: 'stopping'; readonly podId: string; readonly pid: number; readonly since: number }
  | { readonly phase: 'backoff'; readonly until: number; readonly delayMs: number; readonly lastExit: ExitInfo }
  | { readonly phase: 'succeeded'; readonly exit: ExitInfo }
  | { readonly phase: 'failed'; readonly exit: ExitInfo }
  | { readonly phase: 'stopped'; readonly exit: ExitInfo | null };

export type PodPhase = PodState['phase'];

const allowed: Readonly<Record<PodPhase, readonly PodPhase[]>> = {
  pending: ['starting', 'stopped'],
  starting: ['running', 'backoff', 'failed', 'stopped'],
  running: ['stopping', 'backoff', 'succeeded', 'failed', 'stopped'],
  stopping: ['stopped'],
  backoff: ['starting', 'stopped'],
  succeeded: ['starting', 'stopped'],
  failed: ['starting', 'stopped'],
  stopped: [],
};

export function canTransition(from: PodPhase, to: PodPhase): boolean {
  return allowed[from].includes(to);
}

/** Throws PodStateError (ILLEGAL_TRANSITION) unless `from -> to` is an edge of the lifecycle. */
export function assertTransition(pod: string, from: PodPhase, to: PodPhase): void {
  if (!canTransition(from, to)) throw new PodStateError(pod, from, to);
}

export function isTerminal(state: PodState): boolean {
  return state.phase === 'succeeded' || state.phase === 'failed' || state.phase === 'stopped';
}
