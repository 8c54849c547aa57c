import { useComputed } from '@preact/signals';
import type { Actions } from '../state/actions.js';
import * as store from '../state/store.js';
import { formatAge } from '../logic/format.js';
import { html } from './html.js';
import { ThemeToggle } from './theme.js';

const CONNECTION_TEXT: Record<store.Connection, string> = { connecting: 'connecting…', live: 'live', polling: 'polling', reconnecting: 'reconnecting…' };

/** Config and uptime; pods ready / total; queue totals as badges (red when messages wait or died). */
export function TopBar({ actions }: { actions: Actions }) {
  const totals = useComputed(() => {
    const t = { queued: 0, inFlight: 0, dead: 0 };
    for (const task of store.tasks.value) {
      t.queued += task.queued;
      t.inFlight += task.inFlight;
      t.dead += task.deadLettered;
    }
    return t;
  });
  const running = useComputed(() => store.pods.value.filter((p) => !p.leaving));
  const status = store.status.value;
  const notice = store.notice.value;
  const badge = (label: string, value: number, alert: boolean) =>
    html`<span class=${`badge${alert && value > 0 ? ' alert' : ''}`} data-badge=${label}>${label} <b>${value}</b></span>`;
  return html`
    <header class="top-bar">
      <strong class="brand">orchestrator</strong>
      <span class="config" title=${status?.config ?? ''}>${status?.config ?? ''}</span>
      <span class="uptime">up ${formatAge(status?.startedAt ?? null, store.now.value)}</span>
      <span class="badge" data-badge="ready">ready <b>${running.value.filter((p) => p.ready).length}/${running.value.length}</b></span>
      ${badge('queued', totals.value.queued, true)} ${badge('in-flight', totals.value.inFlight, false)} ${badge('dead', totals.value.dead, true)}
      <span class=${`connection ${store.connection.value}`} data-connection=${store.connection.value}>${CONNECTION_TEXT[store.connection.value]}</span>
      <span class="spacer"></span>
      ${notice !== null ? html`<span class=${`notice ${notice.kind}`} role="status">${notice.text}</span>` : null}
      <button onClick=${() => actions.apply()} title="re-read tasks.toml and apply the difference">apply</button>
      <button class="danger" onClick=${() => actions.stop()}>stop</button>
      <${ThemeToggle} />
      <button aria-label="keyboard shortcuts" onClick=${() => (store.helpOpen.value = true)}>?</button>
    </header>
    ${status?.stopping === true ? html`<div class="banner" role="alert">stopping: pods are being stopped</div>` : null}
  `;
}
