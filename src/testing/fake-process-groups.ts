/** Test support (not built): process groups that record signals instead of sending them. */
import type { ProcessGroups } from '../pod/process-groups.js';

export interface SentSignal {
  readonly pgid: number;
  readonly signal: NodeJS.Signals;
}

/**
 * Records every `signal` call in order. A group is alive only while the test says so
 * (`hold`/`release`), so by default a group is gone as soon as its leader exits.
 * `onSignal` lets a test make a process react (e.g. `spawner.byPid(pgid)?.die(signal)`).
 */
export class FakeProcessGroups implements ProcessGroups {
  readonly signals: SentSignal[] = [];
  onSignal: ((pgid: number, signal: NodeJS.Signals) => void) | null = null;
  private readonly held = new Set<number>();

  signal(pgid: number, signal: NodeJS.Signals): boolean {
    this.signals.push({ pgid, signal });
    this.onSignal?.(pgid, signal);
    return true;
  }

  alive(pgid: number): boolean {
    return this.held.has(pgid);
  }

  /** Keeps the group alive (a member outlives the leader) until `release`. */
  hold(pgid: number): void {
    this.held.add(pgid);
  }

  release(pgid: number): void {
    this.held.delete(pgid);
  }

  /** Signals sent to one group, in order. */
  sentTo(pgid: number): NodeJS.Signals[] {
    return this.signals.filter((s) => s.pgid === pgid).map((s) => s.signal);
  }
}
