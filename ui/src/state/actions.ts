/**
 * What the buttons and keys do: each calls the API once and reports the outcome in the status bar.
 * Destructive ones (restart, kill, stop) go through the confirmation dialog first. The rows update
 * through the watch stream, not from these answers, so every tab shows the same truth.
 */
import { ApiError, type Api } from '../api/client.js';
import type { DeadLetter, KillResult, LogLine, TopicInfo } from '../api/types.js';
import * as store from './store.js';

const path = (name: string): string => encodeURIComponent(name);

export interface Actions {
  scale(task: string, replicas: number): Promise<void>;
  restart(task: string): void;
  kill(pod: string): void;
  apply(): void;
  stop(): void;
  loadTopics(): Promise<void>;
  loadDead(task: string): Promise<void>;
  retryDead(task: string, id: string | null): Promise<void>;
  loadPrevious(targets: readonly string[]): Promise<void>;
}

export function createActions(api: Api): Actions {
  const report = async (work: () => Promise<string>): Promise<void> => {
    try {
      store.notice.value = { kind: 'ok', text: await work() };
    } catch (error) {
      store.notice.value = { kind: 'error', text: error instanceof ApiError ? `${error.code}: ${error.message}` : String(error) };
    }
  };
  const ask = (title: string, detail: string, confirmLabel: string, run: () => Promise<void>): void => {
    store.confirm.value = { title, detail, confirmLabel, run };
  };
  const actions: Actions = {
    scale: (task, replicas) =>
      report(async () => {
        const { scaled } = await api.post<{ scaled: { task: string; from: number; to: number }[] }>('/v1/scale', { replicas: { [task]: Math.max(0, replicas) } });
        return scaled.map((s) => `${s.task}: ${s.from} → ${s.to} replicas`).join(', ');
      }),
    restart: (task) =>
      ask(`Rolling restart of ${task}?`, 'One replica at a time: a new pod starts, then an old one drains and stops.', 'restart', () =>
        report(async () => {
          await api.post(`/v1/tasks/${path(task)}/restart`, { wait: false });
          return `${task}: rolling restart started`;
        }),
      ),
    kill: (pod) =>
      ask(`Kill ${pod}?`, 'Its process group gets its stop signal; its controller restarts it per the restart policy, and the messages it held are redelivered.', 'kill', () =>
        report(async () => {
          const result = await api.post<KillResult>(`/v1/pods/${path(pod)}/kill`, { force: false });
          return `${result.pod}: sent ${result.signal}`;
        }),
      ),
    apply: () =>
      ask('Apply tasks.toml?', 'The file is read again and the difference applied: new tasks start, changed ones roll one pod at a time, removed ones drain and stop. An invalid file changes nothing.', 'apply', () =>
        report(async () => {
          try {
            const { summary } = await api.post<{ summary: Record<string, unknown[]> }>('/v1/apply', { wait: false });
            const parts = Object.entries(summary).filter(([what, names]) => what !== 'unchanged' && Array.isArray(names) && names.length > 0).map(([what, names]) => `${what}: ${names.join(' ')}`);
            return `applied tasks.toml${parts.length > 0 ? ` (${parts.join('; ')})` : ': no change'}`;
          } catch (error) {
            if (error instanceof ApiError && error.status === 422) throw new ApiError(422, error.code, `tasks.toml not applied: ${error.message}`);
            throw error;
          }
        }),
      ),
    stop: () =>
      ask('Stop the orchestrator?', 'Every pod gets its stop signal (SIGKILL after its grace period), then the run exits with code 130, as for Ctrl-C.', 'stop everything', () =>
        report(async () => {
          await api.post('/v1/stop', { force: false });
          return 'stopping';
        }),
      ),
    loadTopics: () =>
      api.get<{ topics: TopicInfo[] }>('/v1/topics').then(
        ({ topics }) => void (store.topics.value = topics),
        (error: unknown) => void (store.notice.value = { kind: 'error', text: `topics: ${String(error)}` }),
      ),
    loadDead: async (task) => {
      try {
        const { dead } = await api.get<{ dead: DeadLetter[] }>(`/v1/tasks/${path(task)}/dead`);
        store.deadLetters.value = new Map(store.deadLetters.value).set(task, dead);
      } catch (error) {
        store.notice.value = { kind: 'error', text: `dead letters of ${task}: ${String(error)}` };
      }
    },
    retryDead: (task, id) =>
      report(async () => {
        const url = id === null ? `/v1/tasks/${path(task)}/dead/retry` : `/v1/tasks/${path(task)}/dead/${path(id)}/retry`;
        const { retried } = await api.post<{ retried: string[] }>(url);
        await actions.loadDead(task);
        return `retried ${retried.length} message${retried.length === 1 ? '' : 's'} of ${task}`;
      }),
    loadPrevious: async (targets) => {
      const query = targets.filter((t) => t !== '*').map((t) => `&target=${path(t)}`).join('');
      try {
        const { lines } = await api.get<{ lines: LogLine[] }>(`/v1/logs?previous=true&tail=1000${query}`);
        store.previousLogs.value = lines;
      } catch (error) {
        store.previousLogs.value = [];
        store.notice.value = { kind: 'error', text: `previous run: ${String(error)}` };
      }
    },
  };
  return actions;
}
