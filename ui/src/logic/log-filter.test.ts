import { describe, expect, it } from 'vitest';
import { matchesLogFilter, matchesStream, parseLogFilter } from './log-filter.js';

describe('log filter', () => {
  it('plain text is a case-insensitive substring', () => {
    const f = parseLogFilter('  Build-4 ');
    expect(f).toEqual({ type: 'substring', text: 'build-4' });
    expect(matchesLogFilter(f, 'working on BUILD-42')).toBe(true);
    expect(matchesLogFilter(f, 'working on build-5')).toBe(false);
  });

  it('/pattern/flags is a regular expression; g and y are dropped so every line is tested afresh', () => {
    const f = parseLogFilter('/^done \\d+$/gi');
    expect(f.type).toBe('regex');
    expect(matchesLogFilter(f, 'DONE 12')).toBe(true);
    expect(matchesLogFilter(f, 'DONE 12')).toBe(true);
    expect(matchesLogFilter(f, 'not done 12')).toBe(false);
  });

  it('a bad regular expression matches nothing and says why', () => {
    const f = parseLogFilter('/(unclosed/');
    expect(f.type).toBe('invalid');
    expect(f.type === 'invalid' && f.error).toMatch(/Unterminated group|Invalid regular expression/);
    expect(matchesLogFilter(f, '(unclosed')).toBe(false);
  });

  it('empty matches everything; a lone slash is text', () => {
    expect(matchesLogFilter(parseLogFilter(''), 'x')).toBe(true);
    expect(parseLogFilter('/')).toEqual({ type: 'substring', text: '/' });
  });

  it('stream filter', () => {
    expect(matchesStream('all', 'stderr')).toBe(true);
    expect(matchesStream('stderr', 'stdout')).toBe(false);
    expect(matchesStream('stderr', 'stderr')).toBe(true);
  });
});
