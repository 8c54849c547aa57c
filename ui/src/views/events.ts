import { useComputed, useSignal } from '@preact/signals';
import { formatClock } from '../logic/format.js';
import * as store from '../state/store.js';
import { html } from './html.js';

const BAD = new Set(['pod-exited', 'pod-unhealthy', 'pod-stalled', 'dead-lettered', 'reload-failed', 'task-skipped', 'pod-killed']);

/** The event log, newest first, filterable by type. */
export function EventsView() {
  const type = useSignal('');
  const types = useComputed(() => [...new Set(store.events.value.map((e) => e.type))].sort());
  const shown = useComputed(() => store.events.value.filter((e) => type.value === '' || e.type === type.value).slice().reverse());
  return html`
    <section class="events" aria-label="events">
      <div class="toolbar">
        <select aria-label="event type" value=${type.value} onChange=${(e: Event) => (type.value = (e.target as HTMLSelectElement).value)}>
          <option value="">all types</option>
          ${types.value.map((t) => html`<option value=${t}>${t}</option>`)}
        </select>
        <span>${shown.value.length} events</span>
      </div>
      <ol class="timeline">
        ${shown.value.map(
          (e) => html`<li key=${e.seq} data-event=${e.type} class=${BAD.has(e.type) ? 'bad' : ''}>
            <span class="at">${formatClock(e.at)}</span><span class="type">${e.type}</span><span class="text">${e.message}</span>
          </li>`,
        )}
      </ol>
    </section>
  `;
}
