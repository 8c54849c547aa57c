import { describe, expect, it } from 'vitest';
import type { TaskSnapshot } from '../app/queries.js';
import { DeadLetterBox, type DeadLetter } from '../observe/dead-letters.js';
import { orchestratorTarget, type StatusDeps, type TargetDeps } from './orchestrator-target.js';

const letter = (id: string, data: string): DeadLetter => ({ id, topic: 'jobs', data, attempts: 2, pod: 'worker-0', at: 1, reason: 'max-deliveries' });

/** Only what the dead-letter routes touch is real; the rest of the run is never called by them. */
function targetWith(box: DeadLetterBox, redeliverTo: (task: string, topic: string, data: string) => boolean): ReturnType<typeof orchestratorTarget> {
  const run = {
    view: { task: (name: string) => (name === 'worker' ? ({ name } as unknown as TaskSnapshot) : undefined), tasks: () => [], pods: () => [], pod: () => undefined },
    accounting: { deadLetters: box, topics: {}, ackLatency: {} },
    bus: { redeliverTo },
    done: new Promise(() => {}),
  } as unknown as TargetDeps;
  return orchestratorTarget(run, {} as StatusDeps);
}

describe('orchestratorTarget retryDeadLetters', () => {
  it('removes the letters the bus queued again and keeps, in order, those it refused', () => {
    const box = new DeadLetterBox();
    for (const l of [letter('a', 'one'), letter('b', 'refused'), letter('c', 'three')]) box.add('worker', l);
    const queued: string[] = [];
    const target = targetWith(box, (_task, _topic, data) => {
      if (data === 'refused') return false;
      queued.push(data);
      return true;
    });
    expect(target.retryDeadLetters('worker', null)).toEqual(['a', 'c']);
    expect(queued).toEqual(['one', 'three']);
    expect(box.list('worker').map((l) => l.id)).toEqual(['b']);
  });

  it('keeps a single letter the bus refused, and removes it once a retry succeeds', () => {
    const box = new DeadLetterBox();
    box.add('worker', letter('a', 'one'));
    box.add('worker', letter('b', 'two'));
    let accept = false;
    const target = targetWith(box, () => accept);
    expect(target.retryDeadLetters('worker', 'b')).toEqual([]);
    expect(box.list('worker').map((l) => l.id)).toEqual(['a', 'b']);
    accept = true;
    expect(target.retryDeadLetters('worker', 'b')).toEqual(['b']);
    expect(box.list('worker').map((l) => l.id)).toEqual(['a']);
  });

  it('a letter dead-lettered again while it is queued (undeliverable at once) stays listed under its new id', () => {
    const box = new DeadLetterBox();
    box.add('worker', letter('a', 'one'));
    const target = targetWith(box, (_task, topic, data) => {
      box.add('worker', { ...letter('a2', data), topic, attempts: 0, reason: 'undeliverable' });
      return true;
    });
    expect(target.retryDeadLetters('worker', null)).toEqual(['a']);
    expect(box.list('worker').map((l) => l.id)).toEqual(['a2']);
  });
});
