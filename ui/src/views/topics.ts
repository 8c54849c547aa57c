import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { formatAge } from '../logic/format.js';
import { layoutTopicGraph, publishCounts, type GraphNode, type PublishCounts } from '../logic/topic-graph.js';
import type { Actions } from '../state/actions.js';
import * as store from '../state/store.js';
import { html } from './html.js';

const POLL_MS = 2000;

function curve(a: GraphNode, b: GraphNode): string {
  const mid = (a.x + b.x) / 2;
  return `M${a.x + 60},${a.y} C${mid},${a.y} ${mid},${b.y} ${b.x - 60},${b.y}`;
}

/** Publishers → topic → subscribing tasks, edge width by the rate between two samples. */
export function TopicsView({ actions }: { actions: Actions }) {
  const previous = useSignal<{ counts: PublishCounts; at: number } | null>(null);
  const sampledAt = useSignal(Date.now());
  useEffect(() => {
    let last: { counts: PublishCounts; at: number } | null = null;
    const load = async () => {
      await actions.loadTopics();
      const at = Date.now();
      previous.value = last;
      sampledAt.value = at;
      last = { counts: publishCounts(store.topics.peek()), at };
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const topics = store.topics.value;
  const graph = layoutTopicGraph(topics, previous.value, sampledAt.value);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return html`
    <section class="topics" aria-label="topics">
      ${topics.length === 0
        ? html`<div class="empty">no topic published yet</div>`
        : html`<svg class="graph" role="img" aria-label="topic graph" viewBox=${`0 0 ${graph.width} ${graph.height}`} width=${graph.width} height=${graph.height}>
            <g class="edges">
              ${graph.edges.map((e) => {
                const a = byId.get(e.from);
                const b = byId.get(e.to);
                if (a === undefined || b === undefined) return null;
                return html`<path d=${curve(a, b)} stroke-width=${e.width} data-edge=${`${e.from}>${e.to}`}><title>${e.label}${e.rate === null ? '' : ` · ${e.rate.toFixed(1)}/s`}</title></path>`;
              })}
            </g>
            <g class="nodes">
              ${graph.nodes.map(
                (n) => html`<g class=${`node col-${n.column}`} data-node=${n.id} transform=${`translate(${n.x},${n.y})`}>
                  <rect x="-60" y="-14" width="120" height="28" rx=${n.column === 1 ? 14 : 4}></rect>
                  <text text-anchor="middle" dy="4">${n.label.length > 18 ? `${n.label.slice(0, 17)}…` : n.label}</text>
                  <title>${n.label}</title>
                </g>`,
              )}
            </g>
          </svg>`}
      <table class="topic-table">
        <thead><tr><th>topic</th><th>published</th><th>publishers</th><th>subscribers</th><th>last</th><th>latest</th></tr></thead>
        <tbody>
          ${topics.map(
            (t) => html`<tr key=${t.topic} data-topic=${t.topic}>
              <td>${t.topic}</td><td class="num">${t.published}</td>
              <td>${Object.entries(t.publishers).map(([task, n]) => `${task === '' ? '(api)' : task} ${n}`).join(', ')}</td>
              <td>${t.subscribers.map((s) => (s.pod === undefined ? `${s.task} (${s.mode})` : `${s.pod} (pod)`)).join(', ')}</td>
              <td>${t.lastAt === null ? '-' : `${formatAge(t.lastAt, store.now.value)} ago`}</td>
              <td class="data">${t.latest === null ? '' : `${t.latest.data}${t.latest.truncated ? '…' : ''}`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
  `;
}
