import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { KEY_HELP } from '../logic/keys.js';
import * as store from '../state/store.js';
import { html } from './html.js';

/** The confirmation every destructive action passes through (restart, kill, stop). */
export function ConfirmDialog() {
  const pending = store.confirm.value;
  const busy = useSignal(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), [pending]);
  if (pending === null) return null;
  const run = async () => {
    busy.value = true;
    try {
      await pending.run();
    } finally {
      busy.value = false;
      store.confirm.value = null;
    }
  };
  return html`<div class="overlay" onClick=${() => (store.confirm.value = null)}>
    <div class="dialog" role="dialog" aria-modal="true" aria-label=${pending.title} onClick=${(e: Event) => e.stopPropagation()}>
      <h2>${pending.title}</h2>
      <p>${pending.detail}</p>
      <div class="buttons">
        <button onClick=${() => (store.confirm.value = null)}>cancel</button>
        <button ref=${button} class="danger" disabled=${busy.value} onClick=${() => void run()}>${pending.confirmLabel}</button>
      </div>
    </div>
  </div>`;
}

export function HelpDialog() {
  if (!store.helpOpen.value) return null;
  return html`<div class="overlay" onClick=${() => (store.helpOpen.value = false)}>
    <div class="dialog" role="dialog" aria-label="keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table class="keys">${KEY_HELP.map(([key, what]) => html`<tr><td><kbd>${key}</kbd></td><td>${what}</td></tr>`)}</table>
      <p>Keys do nothing while a text field has focus. Links: <code>/ui/t/TASK</code>, <code>/ui/p/POD</code>, <code>/ui/topics</code>, <code>/ui/events</code>, <code>/ui/dead</code>, <code>?q=FILTER&stream=stderr</code>.</p>
    </div>
  </div>`;
}
