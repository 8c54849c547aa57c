import { describe, expect, it } from 'vitest';
import { messageIds } from './message-ids.js';

describe('messageIds', () => {
  it('counts in base 36 after the run prefix: unique within a run', () => {
    const next = messageIds('run');
    const ids = Array.from({ length: 5000 }, next);
    expect(ids.slice(0, 3)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(new Set(ids).size).toBe(5000);
  });

  it('uses a random prefix per run by default', () => {
    expect(messageIds()()).toMatch(/^[0-9a-f]{8}-1$/);
    expect(messageIds()()).not.toBe(messageIds()());
  });
});
