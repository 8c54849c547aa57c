import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../control/api-types.js';
import { waitVerdict } from './wait-condition.js';

const task = (name: string, state: TaskInfo['state'], restart = 'always', ready = 0, desired = 1): TaskInfo =>
  ({ name, state, restart, ready, desired, current: desired, mode: 'broadcast', subscribe: [], colors: false, queued: 0, inFlight: 0, oldestQueuedAt: null, deadLettered: 0, published: 0, acked: 0, delivered: 0, redelivered: 0, dropped: 0, rejected: 0, discarded: {}, stalled: 0 }) as TaskInfo;

describe('waitVerdict', () => {
  it('ready holds when every selected task is ready (a completed job counts)', () => {
    const tasks = [task('db', 'ready'), task('migrate', 'completed', 'never'), task('web', 'running')];
    expect(waitVerdict(tasks, ['db', 'migrate'], 'ready').type).toBe('met');
    expect(waitVerdict(tasks, [], 'ready')).toEqual({ type: 'pending', message: 'waiting for web (running, 0/1 ready)' });
  });

  it('complete without names means every job, and services are ignored', () => {
    const tasks = [task('db', 'ready'), task('migrate', 'completed', 'never'), task('seed', 'running', 'on-failure')];
    expect(waitVerdict(tasks, [], 'complete').type).toBe('pending');
    expect(waitVerdict([tasks[0]!, tasks[1]!], [], 'complete')).toEqual({ type: 'met', message: 'complete: migrate' });
  });

  it('never holds once a selected job failed or was skipped', () => {
    expect(waitVerdict([task('a', 'failed', 'never'), task('b', 'skipped', 'never')], ['b'], 'complete')).toEqual({ type: 'never', message: 'b was skipped' });
    expect(waitVerdict([task('a', 'failed', 'never')], [], 'ready')).toEqual({ type: 'never', message: 'a failed' });
  });

  it('rejects an unknown task name', () => {
    expect(() => waitVerdict([task('a', 'ready')], ['b'], 'ready')).toThrow('unknown task "b"; tasks: a');
  });
});
