import * as path from 'node:path';

/** One directory entry, as `expandGlob` needs it. */
export interface DirEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** Lists a directory; null when it does not exist or cannot be read. */
export type ReadDir = (dir: string) => readonly DirEntry[] | null;

/** A path with `*`, `?` or `[` is a glob: it may match nothing (a warning), a plain path must exist. */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * The files a glob matches, relative to `baseDir`, sorted, absolute. `*` and `?` stay within one
 * path segment and do not match a leading "." (like a shell), `[abc]` / `[!a]` are classes, and a
 * `**` segment spans any number of directories (none included). Directories are never returned.
 */
export function expandGlob(baseDir: string, pattern: string, readDir: ReadDir): string[] {
  const absolute = path.resolve(baseDir, pattern);
  const segments = absolute.split('/').filter((s) => s !== '');
  const firstMagic = segments.findIndex(isGlob);
  const root = `/${segments.slice(0, firstMagic).join('/')}`;
  const found = new Set<string>();
  walk(root, segments.slice(firstMagic), readDir, found);
  return [...found].sort();
}

function walk(dir: string, rest: readonly string[], readDir: ReadDir, found: Set<string>): void {
  const [segment, ...tail] = rest;
  if (segment === undefined) return;
  const entries = readDir(dir);
  if (entries === null) return;
  if (segment === '**') {
    walk(dir, tail, readDir, found);
    for (const entry of entries) if (entry.directory && !entry.name.startsWith('.')) walk(path.join(dir, entry.name), rest, readDir, found);
    return;
  }
  const matcher = segmentRegExp(segment);
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (tail.length === 0) {
      if (!entry.directory) found.add(full);
    } else if (entry.directory) walk(full, tail, readDir, found);
  }
}

/** One path segment's pattern as an anchored RegExp. */
export function segmentRegExp(segment: string): RegExp {
  let out = segment.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
