/**
 * The dashboard's entry point: takes the token out of the address bar, checks it, then opens the
 * live stream. Served as static files by `orchestrator run --ui`; talks to the API only.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import { ApiError, createApi } from './api/client.js';
import type { StatusInfo } from './api/types.js';
import { TOKEN_KEY, tokenFromHash } from './logic/token.js';
import { createActions, type Actions } from './state/actions.js';
import { listenToKeys } from './state/keyboard.js';
import { Live, logTargets } from './state/live.js';
import { listenToHistory } from './state/navigation.js';
import * as store from './state/store.js';
import { App } from './views/app.js';
import { html } from './views/html.js';
import { applyTheme, storedTheme } from './views/theme.js';

const root = document.getElementById('app') as HTMLElement;
const filterRef: { current: HTMLInputElement | null } = { current: null };
let live: Live | null = null;
let stopFollowing: (() => void) | null = null;
let actions: Actions | null = null;

/** The fragment never reaches a server or a Referer; it is moved to this tab's storage and removed. */
function takeToken(): string | null {
  const { token, rest } = tokenFromHash(location.hash);
  if (token !== null) {
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', `${location.pathname}${location.search}${rest}`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function draw(): void {
  render(html`<${App} actions=${actions} onToken=${signIn} filterRef=${filterRef} />`, root);
}

/** A wrong or missing token: forget it and every row, and ask. */
function signOut(reason: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  live?.close();
  stopFollowing?.();
  live = null;
  actions = null;
  store.status.value = null;
  store.tasks.value = [];
  store.pods.value = [];
  store.logs.value = [];
  store.events.value = [];
  store.auth.value = { type: 'login', reason };
  draw();
}

async function connect(token: string): Promise<void> {
  const api = createApi(token);
  store.auth.value = { type: 'checking' };
  try {
    store.status.value = await api.get<StatusInfo>('/v1/status');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('That token was not accepted.');
    return signOut(`The orchestrator did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
  actions = createActions(api);
  live = new Live(api, () => signOut('The token is no longer accepted (a new run has a new token).'));
  store.auth.value = { type: 'ok' };
  draw();
  const current = live;
  let last = '';
  // The stream follows the selected task or pod's logs; a new selection reopens it.
  stopFollowing = effect(() => {
    const targets = logTargets(store.route.value.selection);
    const key = targets.join('\u0000');
    if (key === last) return;
    last = key;
    current.follow(targets);
  });
}

function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  void connect(token);
}

applyTheme(storedTheme());
listenToHistory();
setInterval(() => (store.now.value = Date.now()), 1000);
listenToKeys(() => actions, () => filterRef.current);
const token = takeToken();
if (token === null) signOut('This tab has no token yet.');
else void connect(token);
draw();
