import { describe, expect, it } from 'vitest';
import { globBase, globToRegExp } from './glob.js';

const matches = (glob: string, path: string): boolean => globToRegExp(glob).test(path);

describe('globToRegExp', () => {
  it('keeps * and ? within one segment and lets ** span segments', () => {
    expect(matches('src/**/*.py', 'src/app.py')).toBe(true);
    expect(matches('src/**/*.py', 'src/a/b/app.py')).toBe(true);
    expect(matches('src/**/*.py', 'src/app.pyc')).toBe(false);
    expect(matches('*.py', 'src/app.py')).toBe(false);
    expect(matches('**/*.py', 'app.py')).toBe(true);
    expect(matches('src/**', 'src/deep/x.txt')).toBe(true);
    expect(matches('file?.txt', 'file1.txt')).toBe(true);
    expect(matches('file?.txt', 'file/.txt')).toBe(false);
  });

  it('supports classes, alternatives and a leading ./', () => {
    expect(matches('*.{js,ts}', 'a.ts')).toBe(true);
    expect(matches('*.{js,ts}', 'a.py')).toBe(false);
    expect(matches('[ab].txt', 'b.txt')).toBe(true);
    expect(matches('[!ab].txt', 'b.txt')).toBe(false);
    expect(matches('./main.py', 'main.py')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
  });
});

describe('globBase', () => {
  it('is the directory part before the first wildcard', () => {
    expect(globBase('src/**/*.py')).toBe('src');
    expect(globBase('main.py')).toBe('.');
    expect(globBase('./lib/x/*.js')).toBe('lib/x');
    expect(globBase('**/*.py')).toBe('.');
  });
});
