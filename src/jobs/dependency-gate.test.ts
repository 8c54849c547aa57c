import { describe, expect, it } from 'vitest';
import type { DependencyCondition, TaskSpec } from '../config/types.js';
import type { TaskState } from './task-phase.js';
import { silentLogger } from '../util/logger.js';
import { DependencyGate } from './dependency-gate.js';

const task = (name: string, dependsOn: Record<string, DependencyCondition> = {}): TaskSpec => ({ name, dependsOn }) as unknown as TaskSpec;

function harness(tasks: TaskSpec[]) {
  const statuses = new Map<string, TaskState>();
  const started: string[] = [];
  const skipped: string[] = [];
  const gate = new DependencyGate(tasks, {
    logger: silentLogger,
    status: (name) => statuses.get(name) ?? { phase: 'running', started: true, reason: null },
    start: (name) => started.push(name),
    skip: (name, reason) => skipped.push(`${name}: ${reason}`),
  });
  return { gate, statuses, started, skipped };
}

describe('DependencyGate', () => {
  it('reads no status once every task is released without dependencies (it is asked after every pod change)', () => {
    const reads: string[] = [];
    const gate = new DependencyGate([task('web'), task('worker')], {
      logger: silentLogger,
      status: (name) => (reads.push(name), { phase: 'running', started: true, reason: null }),
      start: () => {},
      skip: () => {},
    });
    gate.evaluate();
    expect([gate.isReleased('web'), gate.isReleased('worker')]).toEqual([true, true]);
    reads.length = 0;
    gate.evaluate();
    expect(reads).toEqual([]);
  });

  it('starts tasks without dependencies at once and dependents when their condition holds', () => {
    const h = harness([task('db'), task('migrate', { db: 'ready' }), task('app', { migrate: 'completed', db: 'started' })]);
    h.gate.evaluate();
    expect(h.started).toEqual(['db']);
    h.statuses.set('db', { phase: 'ready', started: true, reason: null });
    h.gate.evaluate();
    expect(h.started).toEqual(['db', 'migrate']);
    h.statuses.set('migrate', { phase: 'succeeded', started: true, reason: null });
    h.gate.evaluate();
    expect(h.started).toEqual(['db', 'migrate', 'app']);
    h.gate.evaluate();
    expect(h.started).toEqual(['db', 'migrate', 'app']);
  });

  it('starts a released task once even while it still reads as pending (no pod spawned yet)', () => {
    const h = harness([task('db'), task('app', { db: 'started' })]);
    h.statuses.set('db', { phase: 'running', started: false, reason: null });
    h.gate.evaluate();
    h.gate.evaluate();
    expect(h.started).toEqual(['db']);
    h.statuses.set('db', { phase: 'running', started: true, reason: null });
    h.gate.evaluate();
    expect(h.started).toEqual(['db', 'app']);
  });

  it('skips the whole chain of dependents of a failed task, once', () => {
    const h = harness([task('a'), task('b', { a: 'completed' }), task('c', { b: 'started' })]);
    h.gate.evaluate();
    h.statuses.set('a', { phase: 'failed', reason: 'exited with code 1', started: true });
    h.gate.evaluate();
    h.gate.evaluate();
    expect(h.started).toEqual(['a']);
    expect(h.skipped).toEqual(['b: dependency "a" failed: exited with code 1', 'c: dependency "b" was skipped: dependency "a" failed: exited with code 1']);
    expect(h.gate.isSkipped('c')).toBe('dependency "b" was skipped: dependency "a" failed: exited with code 1');
  });
});
