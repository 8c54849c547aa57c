/**
 * The log filter: plain text matches as a case-insensitive substring; `/pattern/flags` is a regular
 * expression (Tilt's convention). A bad regular expression matches nothing and says why, so the view
 * can show the error instead of silently showing everything.
 */
export type LogFilter =
  | { readonly type: 'none' }
  | { readonly type: 'substring'; readonly text: string }
  | { readonly type: 'regex'; readonly re: RegExp }
  | { readonly type: 'invalid'; readonly error: string };

export type StreamFilter = 'all' | 'stdout' | 'stderr';

export function parseLogFilter(input: string): LogFilter {
  const text = input.trim();
  if (text === '') return { type: 'none' };
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (regex === null) return { type: 'substring', text: text.toLowerCase() };
  const [, source = '', flags = ''] = regex;
  // `g` and `y` make test() stateful between lines: drop them.
  const safeFlags = flags.replace(/[gy]/g, '');
  try {
    return { type: 'regex', re: new RegExp(source, safeFlags) };
  } catch (error) {
    return { type: 'invalid', error: (error as Error).message };
  }
}

export function matchesLogFilter(filter: LogFilter, line: string): boolean {
  switch (filter.type) {
    case 'none':
      return true;
    case 'substring':
      return line.toLowerCase().includes(filter.text);
    case 'regex':
      return filter.re.test(line);
    case 'invalid':
      return false;
  }
}

export function matchesStream(stream: StreamFilter, lineStream: string): boolean {
  return stream === 'all' || stream === lineStream;
}
