import { useComputed } from '@preact/signals';
import type { PodRow, TaskInfo } from '../api/types.js';
import { formatAge, formatBytes, formatCpu } from '../logic/format.js';
import { podsByTask } from '../logic/rows.js';
import type { Actions } from '../state/actions.js';
import { select } from '../state/navigation.js';
import * as store from '../state/store.js';
import { html } from './html.js';

const stop = (e: Event) => e.stopPropagation();

function isSelected(type: 'task' | 'pod', name: string): boolean {
  const s = store.route.value.selection;
  return (type === 'task' && s.type === 'task' && s.task === name) || (type === 'pod' && s.type === 'pod' && s.pod === name);
}

function rowClass(type: 'task' | 'pod', name: string): string {
  const c = store.cursor.value;
  return [type, isSelected(type, name) ? 'selected' : '', c?.type === type && c.name === name ? 'cursor' : ''].filter(Boolean).join(' ');
}

function TaskRow({ task, actions }: { task: TaskInfo; actions: Actions }) {
  const now = store.now.value;
  const onReplicas = (e: Event) => {
    const n = Number((e.target as HTMLInputElement).value);
    if (Number.isInteger(n) && n >= 0) void actions.scale(task.name, n);
  };
  return html`
    <tr class=${rowClass('task', task.name)} data-task=${task.name} onClick=${() => select({ type: 'task', task: task.name })}>
      <td class="name" colspan="3"><span class=${`state state-${task.state}`}>${task.state}</span> <b>${task.name}</b> <small>${task.mode}${task.restart !== 'always' ? ` · job (${task.restart})` : ''}</small></td>
      <td class="num" title="ready / desired">${task.ready}/${task.desired}</td>
      <td class="queue" colspan="4" title="queued / in flight / dead-lettered; age of the oldest queued">
        <span class=${task.queued > 0 ? 'warn' : ''} data-queued=${task.queued}>${task.queued} queued</span><span class="sep">·</span><span>${task.inFlight} in flight</span><span class="sep">·</span><span class=${task.deadLettered > 0 ? 'bad' : ''} data-dead=${task.deadLettered}>${task.deadLettered} dead</span>
        ${task.oldestQueuedAt !== null ? html`<span class="sep">·</span><span class="warn">oldest ${formatAge(task.oldestQueuedAt, now)}</span>` : null}
      </td>
      <td class="actions" onClick=${stop}>
        <button aria-label=${`scale ${task.name} down`} disabled=${task.desired === 0} onClick=${() => void actions.scale(task.name, task.desired - 1)}>−</button>
        <input aria-label=${`replicas of ${task.name}`} type="number" min="0" max="1000" value=${task.desired} onChange=${onReplicas} />
        <button aria-label=${`scale ${task.name} up`} onClick=${() => void actions.scale(task.name, task.desired + 1)}>+</button>
        <button aria-label=${`restart ${task.name}`} title="rolling restart" onClick=${() => actions.restart(task.name)}>↻</button>
      </td>
    </tr>
  `;
}

function PodRowView({ pod, actions }: { pod: PodRow; actions: Actions }) {
  const now = store.now.value;
  const status = pod.stalled ? 'stalled' : pod.status;
  return html`
    <tr class=${rowClass('pod', pod.name)} data-pod=${pod.name} data-status=${pod.status} onClick=${() => select({ type: 'pod', pod: pod.name })}>
      <td class="name"><span class=${`dot status-${status}`}></span>${pod.name}${pod.leaving ? html` <small>leaving</small>` : null}</td>
      <td class=${`status status-${status}`} data-cell="status">${status}</td>
      <td class="num" data-cell="ready">${pod.ready ? '✓' : '·'}</td>
      <td class="num" data-cell="restarts" title=${pod.lastRestartAt === null ? '' : `last ${formatAge(pod.lastRestartAt, now)} ago`}>${pod.restarts}</td>
      <td class="num" title="age">${formatAge(pod.createdAt, now)}</td>
      <td class="num" title="pid">${pod.pid ?? '-'}</td>
      <td class="num" data-cell="cpu" title="CPU, % of one core">${formatCpu(pod.cpu)}</td>
      <td class="num" data-cell="rss" title="resident memory of its process group">${formatBytes(pod.rss)}</td>
      <td class="num flow" title="in flight / delivered / acked">${pod.inFlight}/${pod.delivered}/${pod.acked}</td>
      <td class="actions" onClick=${stop}>
        <button aria-label=${`kill ${pod.name}`} title="kill (its controller replaces it)" disabled=${pod.pid === null} onClick=${() => actions.kill(pod.name)}>✕</button>
      </td>
    </tr>
  `;
}

/** Tasks with their pods nested; rows carry data-task / data-pod and clicking one shows its logs. */
export function TaskList({ actions }: { actions: Actions }) {
  const grouped = useComputed(() => podsByTask(store.pods.value));
  return html`
    <section class="task-list" aria-label="tasks and pods">
      <table>
        <thead>
          <tr class=${rowClass('task', '') + (store.route.value.selection.type === 'all' ? ' selected' : '')} onClick=${() => select({ type: 'all' })} data-all="">
            <th>pod</th><th>status</th><th>ready</th><th>restarts</th><th>age</th><th>pid</th><th>cpu</th><th>mem</th><th title="in flight / delivered / acked">f/d/a</th><th></th>
          </tr>
        </thead>
        ${store.tasks.value.map(
          (task) => html`<tbody key=${task.name}>
            <${TaskRow} task=${task} actions=${actions} />
            ${(grouped.value.get(task.name) ?? []).map((pod) => html`<${PodRowView} key=${pod.name} pod=${pod} actions=${actions} />`)}
          </tbody>`,
        )}
      </table>
    </section>
  `;
}
