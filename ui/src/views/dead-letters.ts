import { useEffect } from 'preact/hooks';
import { formatClock } from '../logic/format.js';
import type { Actions } from '../state/actions.js';
import * as store from '../state/store.js';
import { html } from './html.js';

/** Dead letters per task, with their data (as text) and a retry per letter or for all (back to that task only). */
export function DeadLettersView({ actions }: { actions: Actions }) {
  const selection = store.route.value.selection;
  const tasks = store.tasks.value.filter((t) => (selection.type === 'task' ? t.name === selection.task : t.deadLettered > 0 || store.deadLetters.value.has(t.name)));
  const counts = tasks.map((t) => `${t.name}:${t.deadLettered}`).join(',');
  // Reload a task's list when its dead-letter count changes (the stream carries the count, not the list).
  useEffect(() => {
    for (const t of tasks) void actions.loadDead(t.name);
  }, [counts]);
  return html`
    <section class="dead" aria-label="dead letters">
      ${tasks.length === 0 ? html`<div class="empty">no dead letters</div>` : null}
      ${tasks.map((t) => {
        const letters = store.deadLetters.value.get(t.name) ?? [];
        return html`<div class="dead-task" key=${t.name} data-dead-task=${t.name}>
          <h3>${t.name} <small>${letters.length} kept</small>
            <button aria-label=${`retry all of ${t.name}`} disabled=${letters.length === 0} onClick=${() => void actions.retryDead(t.name, null)}>retry all</button>
          </h3>
          <table>
            <thead><tr><th>at</th><th>topic</th><th>attempts</th><th>reason</th><th>pod</th><th>data</th><th></th></tr></thead>
            <tbody>
              ${letters.map(
                (d) => html`<tr key=${d.id} data-dead-id=${d.id}>
                  <td>${formatClock(d.at)}</td><td>${d.topic}</td><td class="num">${d.attempts}</td><td>${d.reason}</td><td>${d.pod ?? '-'}</td>
                  <td><pre class="data">${d.data}</pre></td>
                  <td><button aria-label=${`retry ${d.id}`} onClick=${() => void actions.retryDead(t.name, d.id)}>retry</button></td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
      })}
    </section>
  `;
}
