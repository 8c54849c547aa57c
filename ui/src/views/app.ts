import type { Tab } from '../logic/route.js';
import type { Actions } from '../state/actions.js';
import { setTab } from '../state/navigation.js';
import * as store from '../state/store.js';
import { DeadLettersView } from './dead-letters.js';
import { ConfirmDialog, HelpDialog } from './dialogs.js';
import { EventsView } from './events.js';
import { html } from './html.js';
import { LoginView } from './login.js';
import { LogsView } from './logs.js';
import { TaskList } from './task-list.js';
import { TopBar } from './top-bar.js';
import { TopicsView } from './topics.js';

const TABS: readonly (readonly [Tab, string])[] = [
  ['logs', 'Logs'],
  ['events', 'Events'],
  ['topics', 'Topics'],
  ['dead', 'Dead letters'],
];

export interface AppProps {
  readonly actions: Actions | null;
  readonly onToken: (token: string) => void;
  /** The log filter input, for the `/` key. */
  readonly filterRef: { current: HTMLInputElement | null };
}

export function App({ actions, onToken, filterRef }: AppProps) {
  const auth = store.auth.value;
  // Checking first: while the token is being tried there are no actions yet either, and the
  // sign-in form must not show (nor take input) before the answer says the token is wrong.
  if (auth.type === 'checking') return html`<main class="checking">connecting…</main>`;
  if (auth.type === 'login' || actions === null) return html`<${LoginView} onToken=${onToken} />`;
  const tab = store.route.value.tab;
  return html`
    <${TopBar} actions=${actions} />
    <main class="layout">
      <${TaskList} actions=${actions} />
      <section class="panel">
        <nav class="tabs" role="tablist">
          ${TABS.map(([id, label]) => html`<button role="tab" aria-selected=${tab === id} onClick=${() => setTab(id)}>${label}${id === 'dead' ? ` (${store.tasks.value.reduce((n, t) => n + t.deadLettered, 0)})` : ''}</button>`)}
          ${store.lagged.value > 0 ? html`<span class="lagged" title="the server dropped lines this tab read too slowly">${store.lagged.value} lines dropped</span>` : null}
        </nav>
        ${tab === 'logs' ? html`<${LogsView} actions=${actions} filterRef=${filterRef} />` : null}
        ${tab === 'events' ? html`<${EventsView} />` : null}
        ${tab === 'topics' ? html`<${TopicsView} actions=${actions} />` : null}
        ${tab === 'dead' ? html`<${DeadLettersView} actions=${actions} />` : null}
      </section>
    </main>
    <${ConfirmDialog} />
    <${HelpDialog} />
  `;
}
