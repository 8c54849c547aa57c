import { describe, expect, it } from 'vitest';
import { DeadLetterBox, type DeadLetter } from './dead-letters.js';

const letter = (id: string): DeadLetter => ({ id, topic: 'jobs', data: `data ${id}`, attempts: 3, pod: null, at: 1, reason: 'max-deliveries' });

describe('DeadLetterBox', () => {
  it('keeps the last N per task, oldest first, and counts what it forgot', () => {
    const box = new DeadLetterBox(2);
    for (const id of ['1', '2', '3']) box.add('w', letter(id));
    box.add('v', letter('9'));
    expect(box.list('w').map((l) => l.id)).toEqual(['2', '3']);
    expect([box.evicted('w'), box.evicted('v'), box.list('none')]).toEqual([1, 0, []]);
  });

  it('keeps at most maxChars of data per task, oldest out first; a letter over the budget is only counted', () => {
    const box = new DeadLetterBox(100, 10);
    box.add('w', { ...letter('1'), data: '12345' });
    box.add('w', { ...letter('2'), data: '123456' });
    expect(box.list('w').map((l) => l.id)).toEqual(['2']);
    box.add('w', { ...letter('3'), data: 'x'.repeat(11) });
    expect(box.list('w').map((l) => l.id)).toEqual(['2']);
    expect(box.evicted('w')).toBe(2);
    box.take('w', ['2']);
    box.add('w', { ...letter('4'), data: '1234567890' });
    expect(box.list('w').map((l) => l.id)).toEqual(['4']);
  });

  it('takes one or all out (retry, delete)', () => {
    const box = new DeadLetterBox();
    for (const id of ['1', '2', '3']) box.add('w', letter(id));
    expect(box.take('w', ['2']).map((l) => l.id)).toEqual(['2']);
    expect(box.take('w', ['2'])).toEqual([]);
    expect(box.take('w', null).map((l) => l.id)).toEqual(['1', '3']);
    expect(box.list('w')).toEqual([]);
  });
});
