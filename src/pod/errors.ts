import { OrchestratorError } from '../util/errors.js';
import type { PodPhase } from './pod-state.js';

/** A pod was asked to change phase along an edge its lifecycle does not have: a bug in the caller. */
export class PodStateError extends OrchestratorError {
  constructor(
    readonly pod: string,
    readonly from: PodPhase,
    readonly to: PodPhase,
  ) {
    super('ILLEGAL_TRANSITION', `pod ${pod}: illegal transition ${from} -> ${to}`);
  }
}
