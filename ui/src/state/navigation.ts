/**
 * The route (selection, tab, filter) lives in the address bar, so a view can be linked to. Changes
 * replace the history entry for the filter (typing) and push one for a new selection or tab.
 */
import { parseRoute, routeUrl, type Route, type Selection, type Tab } from '../logic/route.js';
import type { StreamFilter } from '../logic/log-filter.js';
import * as store from './store.js';

function go(next: Route, push: boolean): void {
  store.route.value = next;
  const url = routeUrl(next);
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function cursorOf(selection: Selection): store.Cursor {
  return selection.type === 'all' ? null : selection.type === 'task' ? { type: 'task', name: selection.task } : { type: 'pod', name: selection.pod };
}

export function select(selection: Selection): void {
  store.cursor.value = cursorOf(selection);
  const tab: Tab = store.route.value.tab === 'dead' && selection.type !== 'pod' ? 'dead' : 'logs';
  go({ ...store.route.value, selection, tab }, true);
}

export function setTab(tab: Tab): void {
  go({ ...store.route.value, tab }, true);
}

export function setFilter(q: string): void {
  go({ ...store.route.value, q }, false);
}

export function setStream(stream: StreamFilter): void {
  go({ ...store.route.value, stream }, false);
}

/** Back / forward restore the route from the address bar. */
export function listenToHistory(): void {
  const restore = (): void => {
    store.route.value = parseRoute(location.pathname, location.search);
    store.cursor.value = cursorOf(store.route.value.selection);
  };
  restore();
  addEventListener('popstate', restore);
}
