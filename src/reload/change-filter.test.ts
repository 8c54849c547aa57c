import { describe, expect, test } from 'vitest';
import { ChangeFilter, type FileStamp } from './change-filter.js';

const stamp = (over: Partial<FileStamp> = {}): FileStamp => ({ ino: 7, size: 3, mtimeMs: 1000, ctimeMs: 1000, ...over });

describe('ChangeFilter', () => {
  test('the same stamp again is a repeat, not a change', () => {
    const f = new ChangeFilter();
    expect(f.changed('src/a.txt', stamp())).toBe(true);
    expect(f.changed('src/a.txt', stamp())).toBe(false);
    expect(f.changed('src/a.txt', stamp())).toBe(false);
  });

  test('a new mtime, size, inode (atomic rename) or ctime is a change', () => {
    const f = new ChangeFilter();
    expect(f.changed('a', stamp())).toBe(true);
    expect(f.changed('a', stamp({ mtimeMs: 1001 }))).toBe(true);
    expect(f.changed('a', stamp({ mtimeMs: 1001, size: 4 }))).toBe(true);
    expect(f.changed('a', stamp({ mtimeMs: 1001, size: 4, ino: 8 }))).toBe(true);
    expect(f.changed('a', stamp({ mtimeMs: 1001, size: 4, ino: 8, ctimeMs: 1002 }))).toBe(true);
    expect(f.changed('a', stamp({ mtimeMs: 1001, size: 4, ino: 8, ctimeMs: 1002 }))).toBe(false);
  });

  test('paths are tracked apart', () => {
    const f = new ChangeFilter();
    expect(f.changed('a', stamp())).toBe(true);
    expect(f.changed('b', stamp())).toBe(true);
    expect(f.changed('a', stamp())).toBe(false);
  });

  test('a removal always counts, and the same stamp after it counts again', () => {
    const f = new ChangeFilter();
    expect(f.changed('a', stamp())).toBe(true);
    expect(f.changed('a', null)).toBe(true);
    expect(f.changed('a', null)).toBe(true);
    expect(f.changed('a', stamp())).toBe(true);
  });

  test('an event without a stamp counts and forgets the last one', () => {
    const f = new ChangeFilter();
    expect(f.changed('a', stamp())).toBe(true);
    expect(f.changed('a', undefined)).toBe(true);
    expect(f.changed('a', stamp())).toBe(true);
  });
});
