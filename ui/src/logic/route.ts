/**
 * Deep links: `/ui/t/<task>`, `/ui/p/<pod>`, `/ui/topics`, `/ui/events`, `/ui/dead[/<task>]`, with
 * `?q=<filter>&stream=stderr` for the log filter. They never carry the token (it lives in the tab's
 * sessionStorage), so a pasted link asks for it.
 */
import type { StreamFilter } from './log-filter.js';

export type Selection = { readonly type: 'all' } | { readonly type: 'task'; readonly task: string } | { readonly type: 'pod'; readonly pod: string };
export type Tab = 'logs' | 'events' | 'topics' | 'dead';

export interface Route {
  readonly selection: Selection;
  readonly tab: Tab;
  readonly q: string;
  readonly stream: StreamFilter;
}

export const DEFAULT_ROUTE: Route = { selection: { type: 'all' }, tab: 'logs', q: '', stream: 'all' };

const NAME = /^[^/]+$/;

function decode(segment: string | undefined): string | null {
  if (segment === undefined) return null;
  try {
    const name = decodeURIComponent(segment);
    return NAME.test(name) ? name : null;
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.replace(/^\/ui\/?/, '').split('/').filter((p) => p !== '');
  const query = new URLSearchParams(search);
  const stream = query.get('stream');
  const base = { q: query.get('q') ?? '', stream: stream === 'stderr' || stream === 'stdout' ? stream : 'all' } as const;
  const [head, arg] = parts;
  const name = decode(arg);
  if (head === 't' && name !== null) return { ...base, selection: { type: 'task', task: name }, tab: 'logs' };
  if (head === 'p' && name !== null) return { ...base, selection: { type: 'pod', pod: name }, tab: 'logs' };
  if (head === 'topics' || head === 'events') return { ...base, selection: { type: 'all' }, tab: head };
  if (head === 'dead') return { ...base, selection: name === null ? { type: 'all' } : { type: 'task', task: name }, tab: 'dead' };
  return { ...base, selection: { type: 'all' }, tab: 'logs' };
}

export function routeUrl(route: Route): string {
  const { selection, tab } = route;
  let path = '/ui/';
  if (tab === 'topics' || tab === 'events') path = `/ui/${tab}`;
  else if (tab === 'dead') path = selection.type === 'task' ? `/ui/dead/${encodeURIComponent(selection.task)}` : '/ui/dead';
  else if (selection.type === 'task') path = `/ui/t/${encodeURIComponent(selection.task)}`;
  else if (selection.type === 'pod') path = `/ui/p/${encodeURIComponent(selection.pod)}`;
  const query = new URLSearchParams();
  if (route.q !== '') query.set('q', route.q);
  if (route.stream !== 'all') query.set('stream', route.stream);
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
}
