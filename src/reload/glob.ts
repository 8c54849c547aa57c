/**
 * Glob patterns for `watch` / `watch_ignore`, matched against `/`-separated paths relative to the
 * task's cwd. `*` and `?` stay within one path segment, `**` spans any number of segments
 * (`src/**` matches everything below src, `**\/x` matches x at any depth), `[abc]`/`[!a]` are
 * character classes and `{a,b}` alternatives. A leading `./` is ignored.
 */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\.\//, '');
  let out = '';
  let inGroup = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atStart = i === 0 || pattern[i - 1] === '/';
        const atEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` = zero or more whole segments; a trailing `**` = everything below.
          if (pattern[i + 2] === '/') {
            out += '(?:[^/]*(?:/[^/]*)*/)?';
            i += 2;
          } else {
            out += '.*';
            i += 1;
          }
          continue;
        }
        i += 1;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += body.startsWith('!') ? `[^/${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      inGroup++;
      out += '(?:';
    } else if (c === '}' && inGroup > 0) {
      inGroup--;
      out += ')';
    } else if (c === ',' && inGroup > 0) out += '|';
    else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The directory part of a glob before its first wildcard: where a watcher must look. */
export function globBase(glob: string): string {
  const segments = glob.replace(/^\.\//, '').split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[{]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/') || '.';
}
