/**
 * The tab's state, as signals: views read them and re-render alone when they change. Only
 * `live.ts` (the stream) and the actions write the API's rows here.
 */
import { signal } from '@preact/signals';
import type { DeadLetter, LogLine, PodRow, RecordedEvent, StatusInfo, TaskInfo, TopicInfo } from '../api/types.js';
import { DEFAULT_ROUTE, type Route } from '../logic/route.js';

export type Auth = { readonly type: 'checking' } | { readonly type: 'ok' } | { readonly type: 'login'; readonly reason: string };
export type Connection = 'connecting' | 'live' | 'polling' | 'reconnecting';

export interface Confirm {
  readonly title: string;
  readonly detail: string;
  readonly confirmLabel: string;
  readonly run: () => Promise<void>;
}

export const auth = signal<Auth>({ type: 'checking' });
export const connection = signal<Connection>('connecting');
export const status = signal<StatusInfo | null>(null);
export const tasks = signal<TaskInfo[]>([]);
export const pods = signal<PodRow[]>([]);
export const logs = signal<LogLine[]>([]);
export const previousLogs = signal<LogLine[] | null>(null);
export const events = signal<RecordedEvent[]>([]);
export const topics = signal<TopicInfo[]>([]);
export const deadLetters = signal<ReadonlyMap<string, DeadLetter[]>>(new Map());
export const route = signal<Route>(DEFAULT_ROUTE);
/** Follow: new lines are appended and the view stays at the bottom. Paused: the view is frozen. */
export const follow = signal(true);
export const showPrevious = signal(false);
export const helpOpen = signal(false);
export const confirm = signal<Confirm | null>(null);
/** The last action's outcome, shown in the status bar (text only). */
export const notice = signal<{ readonly kind: 'ok' | 'error'; readonly text: string } | null>(null);
/** Lines the server dropped for this tab because it read too slowly. */
export const lagged = signal(0);
/** Ticks every second, so ages re-render without new data. */
export const now = signal(Date.now());
/** The row under the keyboard cursor (a task or pod name). */
export type Cursor = { readonly type: 'task' | 'pod'; readonly name: string } | null;
export const cursor = signal<Cursor>(null);
