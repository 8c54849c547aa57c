import { describe, expect, test } from 'vitest';
import { deriveTaskState, type TaskFacts } from './task-phase.js';

const facts = (over: Partial<TaskFacts> = {}): TaskFacts => ({
  job: false,
  skipped: null,
  released: true,
  desired: 2,
  pods: 2,
  settled: false,
  firstFailure: null,
  readyPods: 0,
  everRan: true,
  ...over,
});

describe('deriveTaskState: one phase per task', () => {
  test.each<[string, Partial<TaskFacts>, ReturnType<typeof deriveTaskState>]>([
    ['skipped wins over everything', { skipped: 'dependency "a" failed: x', released: false }, { phase: 'skipped', started: false, reason: 'dependency "a" failed: x' }],
    ['held back by depends_on', { released: false, everRan: false }, { phase: 'waiting', started: false, reason: null }],
    ['released, no pod spawned yet: running but not started', { everRan: false, pods: 1 }, { phase: 'running', started: false, reason: null }],
    ['some replicas ready', { readyPods: 1 }, { phase: 'running', started: true, reason: null }],
    ['every desired replica ready', { readyPods: 2 }, { phase: 'ready', started: true, reason: null }],
    ['a service at replicas = 0 is ready and started', { desired: 0, pods: 0, everRan: false }, { phase: 'ready', started: true, reason: null }],
    ['a job whose pods all succeeded', { job: true, settled: true }, { phase: 'succeeded', started: true, reason: null }],
    ['a job with a failed pod', { job: true, settled: true, firstFailure: 'a-1 exited with code 1' }, { phase: 'failed', started: true, reason: 'a-1 exited with code 1' }],
    ['a job at replicas = 0 counts as succeeded', { job: true, desired: 0, pods: 0, everRan: false }, { phase: 'succeeded', started: true, reason: null }],
    ['a job still running', { job: true, readyPods: 2 }, { phase: 'ready', started: true, reason: null }],
    ['a settled job with no pods left is not finished yet (it has pods to start)', { job: true, pods: 0, settled: true, everRan: false }, { phase: 'running', started: false, reason: null }],
  ])('%s', (_name, over, expected) => {
    expect(deriveTaskState(facts(over))).toEqual(expected);
  });
});
