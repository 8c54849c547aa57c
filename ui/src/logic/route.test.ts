import { describe, expect, it } from 'vitest';
import { parseRoute, routeUrl } from './route.js';

describe('deep links', () => {
  it.each([
    ['/ui/', '', { selection: { type: 'all' }, tab: 'logs', q: '', stream: 'all' }],
    ['/ui/t/worker', '?q=error', { selection: { type: 'task', task: 'worker' }, tab: 'logs', q: 'error', stream: 'all' }],
    ['/ui/p/worker-2', '?stream=stderr', { selection: { type: 'pod', pod: 'worker-2' }, tab: 'logs', q: '', stream: 'stderr' }],
    ['/ui/topics', '', { selection: { type: 'all' }, tab: 'topics', q: '', stream: 'all' }],
    ['/ui/events', '', { selection: { type: 'all' }, tab: 'events', q: '', stream: 'all' }],
    ['/ui/dead/worker', '', { selection: { type: 'task', task: 'worker' }, tab: 'dead', q: '', stream: 'all' }],
    ['/ui/p/%E0%A4%A', '?stream=bogus', { selection: { type: 'all' }, tab: 'logs', q: '', stream: 'all' }],
    ['/ui/t/a%2Fb', '', { selection: { type: 'all' }, tab: 'logs', q: '', stream: 'all' }],
  ])('%s%s', (path, search, expected) => {
    expect(parseRoute(path, search)).toEqual(expected);
  });

  it('round-trips through routeUrl, escaping names and the filter', () => {
    for (const url of ['/ui/', '/ui/t/my%20task?q=%2Ferr%2F', '/ui/p/worker-2?stream=stderr', '/ui/topics', '/ui/events', '/ui/dead', '/ui/dead/worker']) {
      const [path = '', search = ''] = url.split('?');
      expect(routeUrl(parseRoute(path, search === '' ? '' : `?${search}`))).toBe(url);
    }
  });
});
