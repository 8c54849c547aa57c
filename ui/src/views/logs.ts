import { useComputed, useSignal, useSignalEffect } from '@preact/signals';
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { LogLine } from '../api/types.js';
import { formatClock } from '../logic/format.js';
import { matchesLogFilter, matchesStream, parseLogFilter, type StreamFilter } from '../logic/log-filter.js';
import type { Actions } from '../state/actions.js';
import { logTargets } from '../state/live.js';
import { setFilter, setStream } from '../state/navigation.js';
import * as store from '../state/store.js';
import { html } from './html.js';

/**
 * Lines drawn at once; the tab keeps more (LOG_CAP) and the filter reaches all of them. A tail
 * view needs no more, and drawing fewer keeps a busy page responsive while lines stream in.
 */
const RENDERED = 1000;

function selectionLabel(): string {
  const s = store.route.value.selection;
  return s.type === 'all' ? 'all pods' : s.type === 'task' ? `task ${s.task}` : `pod ${s.pod}`;
}

/** Pods get stable colours from their name, so a pod keeps its colour across reloads. */
function hue(pod: string): number {
  let h = 0;
  for (let i = 0; i < pod.length; i++) h = (h * 31 + pod.charCodeAt(i)) % 360;
  return h;
}

/** A line never changes once drawn: appending new lines costs one comparison per line shown. */
class Line extends Component<{ line: LogLine }> {
  override shouldComponentUpdate(next: { line: LogLine }): boolean {
    return next.line !== this.props.line;
  }

  override render({ line }: { line: LogLine }) {
    return html`<div class=${`log-line ${line.stream}`} data-stream=${line.stream} data-pod=${line.pod}>
      <span class="at">${formatClock(line.at)}</span><span class="pod" style=${{ color: `hsl(${hue(line.pod)} 55% var(--pod-lightness))` }}>${line.pod}</span><span class="text">${line.line}</span>
    </div>`;
  }
}

export function copyVisibleLines(): void {
  const text = [...document.querySelectorAll('.log-lines .log-line')].map((el) => el.textContent ?? '').join('\n');
  void navigator.clipboard?.writeText(text).then(
    () => (store.notice.value = { kind: 'ok', text: 'copied the visible lines' }),
    () => (store.notice.value = { kind: 'error', text: 'the browser refused the clipboard' }),
  );
}

export function LogsView({ actions, filterRef }: { actions: Actions; filterRef: { current: HTMLInputElement | null } }) {
  const scroller = useRef<HTMLDivElement>(null);
  const frozen = useSignal<LogLine[] | null>(null);
  const filter = useComputed(() => parseLogFilter(store.route.value.q));
  useSignalEffect(() => {
    // Pausing freezes what is shown; following again shows everything that arrived meanwhile.
    frozen.value = store.follow.value ? null : store.logs.peek();
  });
  useEffect(() => {
    if (!store.showPrevious.value) return;
    void actions.loadPrevious(logTargets(store.route.value.selection));
  }, [store.showPrevious.value, store.route.value.selection]);
  const source = useComputed(() => (store.showPrevious.value ? (store.previousLogs.value ?? []) : (frozen.value ?? store.logs.value)));
  const matching = useComputed(() => source.value.filter((l) => matchesStream(store.route.value.stream, l.stream) && matchesLogFilter(filter.value, l.line)));
  const shown = matching.value.slice(-RENDERED);
  const waiting = frozen.value === null ? 0 : store.logs.value.length - frozen.value.length;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el !== null && store.follow.value) el.scrollTop = el.scrollHeight;
  });
  const f = filter.value;
  return html`
    <section class="logs" aria-label="logs">
      <div class="toolbar">
        <span class="target" data-log-target="">${selectionLabel()}</span>
        <input ref=${filterRef} aria-label="log filter" placeholder="filter: text or /regex/  (press /)" value=${store.route.value.q}
          onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} class=${f.type === 'invalid' ? 'invalid' : ''} title=${f.type === 'invalid' ? f.error : ''} />
        <select aria-label="stream" value=${store.route.value.stream} onChange=${(e: Event) => setStream((e.target as HTMLSelectElement).value as StreamFilter)}>
          <option value="all">all streams</option><option value="stdout">stdout</option><option value="stderr">stderr</option>
        </select>
        <button aria-pressed=${store.follow.value} onClick=${() => (store.follow.value = !store.follow.value)} title="f">${store.follow.value ? 'following' : `paused${waiting > 0 ? ` (+${waiting})` : ''}`}</button>
        <label title="the run before the last restart (logs --previous)"><input type="checkbox" checked=${store.showPrevious.value} onChange=${(e: Event) => (store.showPrevious.value = (e.target as HTMLInputElement).checked)} /> previous run</label>
        <button onClick=${copyVisibleLines} title="c">copy</button>
        <button onClick=${() => ((store.logs.value = []), (frozen.value = frozen.value === null ? null : []))}>clear</button>
      </div>
      ${f.type === 'invalid' ? html`<div class="filter-error" role="alert">bad regular expression: ${f.error}</div>` : null}
      <div class="log-lines" ref=${scroller} data-count=${matching.value.length}>
        ${matching.value.length > shown.length ? html`<div class="more">${matching.value.length - shown.length} older matching lines not shown</div>` : null}
        ${shown.map((line) => html`<${Line} key=${line.seq} line=${line} />`)}
        ${shown.length === 0 ? html`<div class="empty">${store.showPrevious.value ? 'no previous run kept' : 'no matching lines yet'}</div>` : null}
      </div>
    </section>
  `;
}
