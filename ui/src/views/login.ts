import { useSignal } from '@preact/signals';
import * as store from '../state/store.js';
import { html } from './html.js';

/** Asked when the tab has no token or a wrong one. Shows no data: nothing was fetched with success. */
export function LoginView({ onToken }: { onToken: (token: string) => void }) {
  const value = useSignal('');
  const auth = store.auth.value;
  const submit = (e: Event) => {
    e.preventDefault();
    if (value.value.trim() !== '') onToken(value.value.trim());
  };
  return html`<main class="login">
    <form onSubmit=${submit} aria-label="sign in">
      <h1>orchestrator</h1>
      <p>${auth.type === 'login' ? auth.reason : ''}</p>
      <p>Open the <code>dashboard: http://…/ui/#token=…</code> link that <code>orchestrator run --ui</code> printed, run <code>orchestrator ui</code>, or paste the token (<code>.orchestrator/api-token</code>, or <code>ORCHESTRATOR_TOKEN</code>).</p>
      <label>token <input type="password" autocomplete="off" aria-label="token" value=${value.value} onInput=${(e: Event) => (value.value = (e.target as HTMLInputElement).value)} /></label>
      <button type="submit">open</button>
    </form>
  </main>`;
}
