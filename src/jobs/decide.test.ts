import { describe, expect, test } from 'vitest';
import type { DependencyCondition } from '../config/types.js';
import { decide, type Decision, formatWaitingFor, } from './decide.js';
import type { TaskState } from './task-phase.js';

const task = (name: string, dependsOn: Record<string, DependencyCondition> = {}) => ({ name, dependsOn });
const pending: TaskState = { phase: 'waiting', started: false, reason: null };
const running = (ready: boolean): TaskState => ({ phase: ready ? 'ready' : 'running', started: true, reason: null });
const completed: TaskState = { phase: 'succeeded', started: true, reason: null };
const failed = (reason: string, started = true): TaskState => ({ phase: 'failed', reason, started });
const skipped = (reason: string): TaskState => ({ phase: 'skipped', reason, started: false });

/** The decision for `web`, depending on `db` with `condition`, when db has `status`. */
function decisionFor(condition: DependencyCondition, status: TaskState): Decision | undefined {
  return decide([task('db'), task('web', { db: condition })], new Map([['db', status]])).get('web');
}

const start = { action: 'start' };
const waitFor = (condition: DependencyCondition) => ({ action: 'wait', waitingFor: [{ task: 'db', condition }] });

describe('decide: each condition against each dependency state', () => {
  test.each<[DependencyCondition, TaskState, unknown]>([
    ['started', pending, waitFor('started')],
    ['started', { phase: 'running', started: false, reason: null }, waitFor('started')],
    ['started', running(false), start],
    ['started', running(true), start],
    ['started', completed, start],
    ['started', failed('exited with code 1'), start],
    ['started', failed('spawn ENOENT', false), { action: 'skip', reason: 'dependency "db" failed: spawn ENOENT', chain: ['db'] }],
    ['ready', pending, waitFor('ready')],
    ['ready', running(false), waitFor('ready')],
    ['ready', running(true), start],
    ['ready', completed, start],
    ['ready', failed('exited with code 1'), { action: 'skip', reason: 'dependency "db" failed: exited with code 1', chain: ['db'] }],
    ['completed', pending, waitFor('completed')],
    ['completed', running(true), waitFor('completed')],
    ['completed', completed, start],
    ['completed', failed('exited with code 2'), { action: 'skip', reason: 'dependency "db" failed: exited with code 2', chain: ['db'] }],
    ['completed', skipped('x'), { action: 'skip', reason: 'dependency "db" was skipped: x', chain: ['db'] }],
  ])('%s when the dependency is %j', (condition, status, expected) => {
    expect(decisionFor(condition, status)).toEqual(expected);
  });
});

describe('decide', () => {
  test('tasks without dependencies start; tasks already started or ended get none', () => {
    const decisions = decide([task('a'), task('b'), task('c'), task('d')], new Map<string, TaskState>([['b', running(false)], ['c', completed], ['d', failed('x')]]));
    expect(Object.fromEntries(decisions)).toEqual({ a: start, b: { action: 'none' }, c: { action: 'none' }, d: { action: 'none' } });
  });

  test('waits list every unmet dependency, in declaration order', () => {
    const tasks = [task('db'), task('migrate'), task('cache'), task('web', { db: 'ready', migrate: 'completed', cache: 'started' })];
    const decision = decide(tasks, new Map<string, TaskState>([['db', running(false)], ['cache', running(false)]])).get('web');
    expect(decision).toEqual({ action: 'wait', waitingFor: [{ task: 'db', condition: 'ready' }, { task: 'migrate', condition: 'completed' }] });
    expect(decision?.action === 'wait' ? formatWaitingFor(decision.waitingFor) : '').toBe('db (ready), migrate (completed)');
  });

  test('a skip propagates through the whole chain in one call, with the reason chain', () => {
    const tasks = [task('d', { c: 'started' }), task('c', { b: 'ready' }), task('b', { a: 'completed' }), task('a'), task('other')];
    const decisions = decide(tasks, new Map([['a', failed('exited with code 1')]]));
    expect(decisions.get('b')).toEqual({ action: 'skip', reason: 'dependency "a" failed: exited with code 1', chain: ['a'] });
    expect(decisions.get('c')).toEqual({ action: 'skip', reason: 'dependency "b" was skipped: dependency "a" failed: exited with code 1', chain: ['b', 'a'] });
    expect(decisions.get('d')).toEqual({
      action: 'skip',
      reason: 'dependency "c" was skipped: dependency "b" was skipped: dependency "a" failed: exited with code 1',
      chain: ['c', 'b', 'a'],
    });
    expect(decisions.get('other')).toEqual(start);
  });

  test('a skip wins over waiting: a task that can never start is skipped now', () => {
    const tasks = [task('a'), task('b'), task('c', { a: 'ready', b: 'completed' })];
    expect(decide(tasks, new Map([['b', failed('boom')]])).get('c')).toEqual({ action: 'skip', reason: 'dependency "b" failed: boom', chain: ['b'] });
  });

  test('a recorded skip is used like a computed one', () => {
    const tasks = [task('a'), task('b', { a: 'started' }), task('c', { b: 'started' })];
    const statuses = new Map<string, TaskState>([['a', failed('x', false)], ['b', skipped('dependency "a" failed: x')]]);
    expect(decide(tasks, statuses).get('c')).toEqual({ action: 'skip', reason: 'dependency "b" was skipped: dependency "a" failed: x', chain: ['b'] });
  });
});
