/** Applies the keyboard shortcuts (logic/keys.ts) to the store. */
import { keyAction } from '../logic/keys.js';
import { copyVisibleLines } from '../views/logs.js';
import type { Actions } from './actions.js';
import { select, setFilter, setStream, setTab } from './navigation.js';
import * as store from './store.js';

type Row = { readonly type: 'task' | 'pod'; readonly name: string };

/** Tasks and their pods in the order the list shows them. */
function rows(): Row[] {
  const list: Row[] = [];
  for (const task of store.tasks.value) {
    list.push({ type: 'task', name: task.name });
    for (const pod of store.pods.value.filter((p) => p.task === task.name).sort((a, b) => a.index - b.index)) list.push({ type: 'pod', name: pod.name });
  }
  return list;
}

function selectedTask(): string | null {
  const s = store.route.value.selection;
  if (s.type === 'task') return s.task;
  if (s.type === 'pod') return store.pods.value.find((p) => p.name === s.pod)?.task ?? null;
  return null;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** `actions` is null until a token is accepted: no key does anything on the sign-in form. */
export function listenToKeys(current: () => Actions | null, filter: () => HTMLInputElement | null): void {
  document.addEventListener('keydown', (event) => {
    const actions = current();
    if (actions === null || store.auth.value.type !== 'ok') return;
    const action = keyAction(event, isEditable(event.target));
    if (action === null) return;
    event.preventDefault();
    switch (action.type) {
      case 'move': {
        const list = rows();
        if (list.length === 0) return;
        const c = store.cursor.value;
        const at = c === null ? -1 : list.findIndex((r) => r.type === c.type && r.name === c.name);
        const next = list[Math.max(0, Math.min(list.length - 1, at + action.by))] as Row;
        select(next.type === 'task' ? { type: 'task', task: next.name } : { type: 'pod', pod: next.name });
        return;
      }
      case 'focus-filter':
        if (store.route.value.tab !== 'logs') setTab('logs');
        requestAnimationFrame(() => filter()?.focus());
        return;
      case 'toggle-follow':
        store.follow.value = !store.follow.value;
        return;
      case 'restart': {
        const task = selectedTask();
        if (task !== null) actions.restart(task);
        return;
      }
      case 'scale': {
        const name = selectedTask();
        const task = store.tasks.value.find((t) => t.name === name);
        if (task !== undefined) void actions.scale(task.name, task.desired + action.by);
        return;
      }
      case 'stderr-only':
        setStream(store.route.value.stream === 'stderr' ? 'all' : 'stderr');
        return;
      case 'copy':
        copyVisibleLines();
        return;
      case 'help':
        store.helpOpen.value = !store.helpOpen.value;
        return;
      case 'clear':
        if (store.confirm.value !== null) store.confirm.value = null;
        else if (store.helpOpen.value) store.helpOpen.value = false;
        else {
          if (isEditable(event.target)) (event.target as HTMLElement).blur();
          setFilter('');
        }
        return;
    }
  });
}
