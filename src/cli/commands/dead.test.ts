import { describe, expect, it } from 'vitest';
import type { DeadLetterInfo } from '../../control/api-types.js';
import { UsageError } from '../usage-error.js';
import { deadAction, deadTable, retriedText } from './dead.js';

const NOW = 10_000_000;

const letter = (over: Partial<DeadLetterInfo> = {}): DeadLetterInfo => ({ id: 'm1', topic: 'jobs', data: 'poison', attempts: 2, pod: 'worker-0', at: NOW - 3_000, reason: 'max-deliveries', ...over });

describe('deadAction', () => {
  it('lists without flags; --retry / --delete take one ID or --all', () => {
    expect(deadAction({}, [])).toEqual({ kind: 'list' });
    expect(deadAction({ retry: true }, ['m1'])).toEqual({ kind: 'retry', id: 'm1' });
    expect(deadAction({ retry: true, all: true }, [])).toEqual({ kind: 'retry', id: null });
    expect(deadAction({ delete: true }, ['m1'])).toEqual({ kind: 'delete', id: 'm1' });
    expect(deadAction({ delete: true, all: true }, [])).toEqual({ kind: 'delete', id: null });
  });

  it.each([
    [{ retry: true, delete: true }, ['m1'], /exclude each other/],
    [{ retry: true }, [], /needs an ID, or --all/],
    [{ delete: true }, [], /needs an ID, or --all/],
    [{ retry: true, all: true }, ['m1'], /an ID or --all, not both/],
    [{ retry: true }, ['m1', 'm2'], /takes one ID/],
    [{ all: true }, [], /--all goes with --retry or --delete/],
    [{}, ['m1'], /expected one TASK/],
  ])('refuses %j %j', (flags, ids, message) => {
    expect(() => deadAction(flags, ids)).toThrow(UsageError);
    expect(() => deadAction(flags, ids)).toThrow(message);
  });
});

describe('deadTable', () => {
  it('one row per letter, oldest first as the API gives them', () => {
    const out = deadTable({ task: 'worker', dead: [letter(), letter({ id: 'm2', topic: 'jobs.big', data: 'x', attempts: 0, at: NOW - 125_000, reason: 'undeliverable' })], evicted: 0 }, NOW, 120);
    expect(out.split('\n')).toEqual([
      'ID   TOPIC      ATTEMPTS   REASON           AGE    DATA',
      'm1   jobs       2          max-deliveries   3s     poison',
      'm2   jobs.big   0          undeliverable    2m5s   x',
    ]);
  });

  it('shows control characters as escapes and cuts long data to the width', () => {
    const out = deadTable({ task: 'worker', dead: [letter({ data: `\u001b[2J\u0000${'z'.repeat(300)}` })], evicted: 0 }, NOW, 80);
    // 47 characters of other columns leave 33 of the 80: 32 and the ellipsis.
    expect(out.split('\n')[1]).toBe(`m1   jobs    2          max-deliveries   3s    ${`\\e[2J\\0${'z'.repeat(300)}`.slice(0, 32)}…`);
    expect(out.split('\n')[1]).toHaveLength(80);
  });

  it('says how many were forgotten', () => {
    expect(deadTable({ task: 'worker', dead: [], evicted: 3 }, NOW, 80).split('\n')).toEqual([
      'ID   TOPIC   ATTEMPTS   REASON   AGE   DATA',
      '3 older dead letters were forgotten (the last 100 of a task are kept, at most 4 Mi characters of data)',
    ]);
  });
});

describe('retriedText', () => {
  it('one line per retried id, or says there was none', () => {
    expect(retriedText('worker', ['m1', 'm2'])).toBe('retried m1\nretried m2');
    expect(retriedText('worker', [])).toBe('no dead letters of worker to retry');
  });
});
