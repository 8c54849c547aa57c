import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { canTransition, RunLifecycle, RunPhaseError, type RunPhaseName, type ShutdownSteps } from './run-lifecycle.js';

const PHASES: RunPhaseName[] = ['idle', 'starting', 'running', 'completing', 'stopping', 'done'];

/** Shutdown steps that record their order; `stopPods` waits until the test releases it. */
function steps() {
  const calls: string[] = [];
  let releasePods: () => void = () => {};
  const s: ShutdownSteps = {
    closeWatchers: async () => void calls.push('closeWatchers'),
    stopPods: (o) => {
      calls.push(`stopPods force=${o.force}`);
      return new Promise<void>((resolve) => (releasePods = resolve));
    },
    removals: async () => void calls.push('removals'),
    escalate: () => void calls.push('escalate'),
    reportWaiting: () => void calls.push('reportWaiting'),
    closeBus: async () => void calls.push('closeBus'),
    closeGroups: () => void calls.push('closeGroups'),
  };
  return { steps: s, calls, releasePods: () => releasePods() };
}

describe('RunLifecycle', () => {
  it('allows exactly the edges of the table; anything else throws ILLEGAL_RUN_TRANSITION', () => {
    const edges = PHASES.flatMap((from) => PHASES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(edges).toEqual([
      'idle->starting',
      'idle->stopping',
      'starting->idle',
      'starting->running',
      'starting->stopping',
      'running->completing',
      'running->stopping',
      'completing->running',
      'completing->stopping',
      'stopping->stopping',
      'stopping->done',
    ]);
    const life = new RunLifecycle(new VirtualClock(), steps().steps);
    expect(() => life.transition({ phase: 'running' })).toThrow(RunPhaseError);
    expect(() => life.transition({ phase: 'done', outcome: { type: 'stopped', reason: 'x' } })).toThrow(expect.objectContaining({ code: 'ILLEGAL_RUN_TRANSITION', from: 'idle', to: 'done' }));
    expect(life.phase).toEqual({ phase: 'idle' });
  });

  it('finish runs the steps once, in order; a second call shares it, keeps the first outcome, and a later force escalates once', async () => {
    const clock = new VirtualClock();
    const s = steps();
    const life = new RunLifecycle(clock, s.steps);
    expect(await life.start(Promise.resolve())).toBe(true);
    const first = life.finish({ type: 'completed', failure: null }, { stopServices: true });
    const second = life.finish({ type: 'stopped', reason: 'SIGINT' }, { stopServices: true, force: true });
    expect(second).toBe(first);
    life.finish({ type: 'stopped', reason: 'SIGINT' }, { stopServices: true, force: true });
    await clock.advanceAsync(2000);
    s.releasePods();
    await first;
    expect(s.calls).toEqual(['escalate', 'closeWatchers', 'stopPods force=false', 'reportWaiting', 'removals', 'closeBus', 'closeGroups']);
    expect(await life.done).toEqual({ type: 'completed', failure: null });
    expect(life.phase).toEqual({ phase: 'done', outcome: { type: 'completed', failure: null } });
    expect(clock.pending).toBe(0);
  });

  it('completing polls on the clock until resumed or finished; leaving it cancels the poll', async () => {
    const clock = new VirtualClock();
    const life = new RunLifecycle(clock, steps().steps);
    await life.start(Promise.resolve());
    let checks = 0;
    life.complete(() => checks++);
    expect(life.phase.phase).toBe('completing');
    clock.advance(120);
    expect(checks).toBe(2);
    life.resume();
    expect(life.phase).toEqual({ phase: 'running' });
    clock.advance(500);
    expect(checks).toBe(2);
    expect(clock.pending).toBe(0);
  });

  it('a stop during starting waits for the start to settle, and start() then reports that nothing may start', async () => {
    const s = steps();
    const life = new RunLifecycle(new VirtualClock(), s.steps);
    let connected!: () => void;
    const starting = life.start(new Promise<void>((resolve) => (connected = resolve)));
    const finished = life.finish({ type: 'stopped', reason: 'SIGINT' }, { stopServices: true });
    await Promise.resolve();
    expect(s.calls).toEqual([]);
    connected();
    expect(await starting).toBe(false);
    await Promise.resolve();
    s.releasePods();
    await finished;
    expect(s.calls).toEqual(['closeWatchers', 'stopPods force=false', 'removals', 'closeBus', 'closeGroups']);
    expect(life.hasStarted).toBe(false);
  });

  it('a start that rejects goes back to idle and rejects with the error', async () => {
    const life = new RunLifecycle(new VirtualClock(), steps().steps);
    const error = new Error('refused');
    await expect(life.start(Promise.reject(error))).rejects.toBe(error);
    expect(life.phase).toEqual({ phase: 'idle' });
  });
});
