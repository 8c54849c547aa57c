import { describe, expect, test } from 'vitest';
import { isJob, type JobState, runVerdict } from './outcome.js';

const jobs = (entries: Record<string, JobState>) => new Map(Object.entries(entries));

describe('runVerdict (--exit-on-complete)', () => {
  test('continues while a job is pending or running', () => {
    expect(runVerdict(jobs({ a: { phase: 'succeeded', reason: null, at: 0 }, b: { phase: 'running', reason: null, at: 0 } }), 0)).toEqual({ type: 'continue' });
    expect(runVerdict(jobs({ a: { phase: 'waiting', reason: null, at: 0 } }), 0)).toEqual({ type: 'continue' });
  });

  test('continues while anything is queued or in flight, even when every job has ended', () => {
    expect(runVerdict(jobs({ a: { phase: 'succeeded', reason: null, at: 0 } }), 1)).toEqual({ type: 'continue' });
    expect(runVerdict(jobs({ a: { phase: 'failed', reason: 'x', at: 1 } }), 3)).toEqual({ type: 'continue' });
  });

  test('done with 0 when every job succeeded and the pipeline drained', () => {
    expect(runVerdict(jobs({ a: { phase: 'succeeded', reason: null, at: 0 }, b: { phase: 'succeeded', reason: null, at: 0 } }), 0)).toEqual({ type: 'done', exitCode: 0, firstFailure: null });
  });

  test('done with 1 naming the earliest failure; a failure beats a skip at the same time', () => {
    const outcome = runVerdict(
      jobs({
        late: { phase: 'failed', reason: 'exited with code 2', at: 300 },
        skipped: { phase: 'skipped', reason: 'dependency "root" failed: exited with code 1', at: 100 },
        root: { phase: 'failed', reason: 'exited with code 1', at: 100 },
        ok: { phase: 'succeeded', reason: null, at: 0 },
      }),
      0,
    );
    expect(outcome).toEqual({ type: 'done', exitCode: 1, firstFailure: { task: 'root', reason: 'exited with code 1', skipped: false } });
  });

  test('skips alone fail the run', () => {
    expect(runVerdict(jobs({ a: { phase: 'skipped', reason: 'r', at: 5 } }), 0)).toEqual({ type: 'done', exitCode: 1, firstFailure: { task: 'a', reason: 'r', skipped: true } });
  });

  test('with no jobs the run never completes by itself', () => {
    expect(runVerdict(new Map(), 0)).toEqual({ type: 'continue' });
  });

  test('isJob: restart never and on-failure', () => {
    expect([isJob({ restart: 'never' }), isJob({ restart: 'on-failure' }), isJob({ restart: 'always' })]).toEqual([true, true, false]);
  });
});
