import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMNS, cut, formatFittedTable, outputColumns } from './table.js';

describe('cut', () => {
  it('keeps text that fits and ends cut text with an ellipsis, within the width', () => {
    expect(cut('hello', 5)).toBe('hello');
    expect(cut('hello!', 5)).toBe('hell…');
    expect(cut('hello', 1)).toBe('…');
    expect(cut('hello', 0)).toBe('');
  });

  it('counts code points, so a surrogate pair is never split', () => {
    expect(cut('😀😀😀', 3)).toBe('😀😀😀');
    expect(cut('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('formatFittedTable', () => {
  it('cuts the last column so each line fits the columns', () => {
    const out = formatFittedTable(['A', 'DATA'], [['xx', 'a'.repeat(50)]], 20, 5);
    expect(out.split('\n')).toEqual(['A    DATA', `xx   ${'a'.repeat(14)}…`]);
    expect(out.split('\n').every((l) => l.length <= 20)).toBe(true);
  });

  it('keeps at least minLast characters however wide the other columns are', () => {
    expect(formatFittedTable(['A', 'DATA'], [['x'.repeat(30), 'abcdefghij']], 20, 5).split('\n')[1]).toBe(`${'x'.repeat(30)}   abcd…`);
  });

  it('leaves short data alone', () => {
    expect(formatFittedTable(['A', 'DATA'], [['x', 'short']], 80)).toBe('A   DATA\nx   short');
  });
});

describe('outputColumns', () => {
  it('is the terminal width on a terminal and a fixed width on a pipe', () => {
    expect(outputColumns({ isTTY: true, columns: 90 })).toBe(90);
    expect(outputColumns({ isTTY: true })).toBe(DEFAULT_COLUMNS);
    expect(outputColumns({ columns: 90 })).toBe(DEFAULT_COLUMNS);
  });
});
