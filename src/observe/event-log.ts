import { describeExit } from '../pod/exit.js';
import { RingBuffer } from './ring-buffer.js';

/** What happened, for `orchestrator events`. Pod and task names as shown by `ps` / `tasks`. */
export type LifecycleEvent =
  | { readonly type: 'pod-started'; readonly task: string; readonly pod: string; readonly pid: number }
  | { readonly type: 'pod-exited'; readonly task: string; readonly pod: string; readonly code: number | null; readonly signal: string | null; readonly error: string | null; readonly restartInMs: number | null }
  | { readonly type: 'pod-stopped'; readonly task: string; readonly pod: string; readonly code: number | null; readonly signal: string | null }
  | { readonly type: 'scaled'; readonly task: string; readonly from: number; readonly to: number }
  /** An autoscaled pool took a step: `reason` is why (`57 queued`, `idle for 30s`, `min is 2`). */
  | { readonly type: 'autoscaled'; readonly task: string; readonly from: number; readonly to: number; readonly reason: string }
  | { readonly type: 'rollout-started'; readonly task: string; readonly reason: string }
  | { readonly type: 'rollout-finished'; readonly task: string; readonly replaced: readonly string[]; readonly superseded: boolean }
  | { readonly type: 'task-added'; readonly task: string }
  | { readonly type: 'task-removed'; readonly task: string }
  | { readonly type: 'reloaded'; readonly added: readonly string[]; readonly removed: readonly string[]; readonly rolled: readonly string[]; readonly scaled: readonly string[]; readonly updated: readonly string[] }
  | { readonly type: 'reload-failed'; readonly problems: readonly string[] }
  | { readonly type: 'file-changed'; readonly task: string; readonly file: string }
  | { readonly type: 'dead-lettered'; readonly task: string; readonly topic: string; readonly id: string; readonly attempts: number }
  | { readonly type: 'stopping'; readonly reason: string }
  | { readonly type: 'pod-ready'; readonly task: string; readonly pod: string }
  | { readonly type: 'pod-killed'; readonly task: string; readonly pod: string; readonly signal: string }
  | { readonly type: 'pod-unhealthy'; readonly task: string; readonly pod: string; readonly reason: string }
  | { readonly type: 'task-skipped'; readonly task: string; readonly reason: string }
  /** The pod has left its stdin full for `forMs` while `queued` messages wait for it. */
  | { readonly type: 'pod-stalled'; readonly task: string; readonly pod: string; readonly forMs: number; readonly queued: number }
  /** The stall ended: it reads again (`reading`) or the pod is gone (`gone`). */
  | { readonly type: 'pod-unstalled'; readonly task: string; readonly pod: string; readonly forMs: number; readonly how: 'reading' | 'gone' }
  | { readonly type: 'completed'; readonly failure: string | null }
  /** The NATS bus connection changed; `server` is redacted (no userinfo). */
  | { readonly type: 'bus-connection'; readonly state: BusConnectionState; readonly server: string };

export type BusConnectionState = 'connected' | 'disconnected' | 'reconnecting' | 'reconnected';

/** A recorded event: `seq` orders them, `at` is epoch ms, `message` is the human sentence. */
export type RecordedEvent = LifecycleEvent & { readonly seq: number; readonly at: number; readonly message: string };

const KEPT_EVENTS = 1000;

/** The newest lifecycle events in memory, with live followers. */
export class EventLog {
  private readonly events = new RingBuffer<RecordedEvent>(KEPT_EVENTS);
  private readonly followers = new Set<(event: RecordedEvent) => void>();
  private seq = 0;

  constructor(private readonly now: () => number) {}

  record(event: LifecycleEvent): RecordedEvent {
    const recorded: RecordedEvent = { ...event, seq: ++this.seq, at: this.now(), message: describeEvent(event) };
    this.events.push(recorded);
    for (const follower of this.followers) follower(recorded);
    return recorded;
  }

  /** Oldest first; only events with `seq > after` when given. */
  list(after = 0): RecordedEvent[] {
    return this.events.toArray().filter((e) => e.seq > after);
  }

  follow(listener: (event: RecordedEvent) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }
}

export function describeEvent(event: LifecycleEvent): string {
  switch (event.type) {
    case 'pod-started':
      return `${event.pod} started (pid ${event.pid})`;
    case 'pod-exited': {
      const how = describeExit({ code: event.code, signal: event.signal, startError: event.error });
      const next = event.restartInMs === null ? '' : event.restartInMs === 0 ? '; restarting now' : `; restarting in ${formatMs(event.restartInMs)}`;
      return `${event.pod} ${how}${next}`;
    }
    case 'pod-stopped':
      return `${event.pod} stopped${event.signal !== null ? ` (${event.signal})` : event.code !== null ? ` (code ${event.code})` : ''}`;
    case 'scaled':
      return `${event.task} scaled from ${event.from} to ${event.to}`;
    case 'autoscaled':
      return `${event.task} scaled ${event.from} → ${event.to}: ${event.reason}`;
    case 'rollout-started':
      return `${event.task} rolling restart (${event.reason})`;
    case 'rollout-finished':
      return `${event.task} rolling restart ${event.superseded ? 'superseded' : 'finished'}${event.replaced.length > 0 ? `: replaced ${event.replaced.join(', ')}` : ''}`;
    case 'task-added':
      return `task ${event.task} added`;
    case 'task-removed':
      return `task ${event.task} removed`;
    case 'reloaded': {
      const parts = (['added', 'removed', 'rolled', 'scaled', 'updated'] as const).filter((k) => event[k].length > 0).map((k) => `${k} ${event[k].join(', ')}`);
      return `config reloaded${parts.length > 0 ? `: ${parts.join('; ')}` : ': no changes'}`;
    }
    case 'reload-failed':
      return `config reload failed, nothing changed: ${event.problems.join('; ')}`;
    case 'file-changed':
      return `${event.file} changed: restarting ${event.task}`;
    case 'dead-lettered':
      return `message ${event.id} on "${event.topic}" for ${event.task} dead-lettered after ${event.attempts} deliveries`;
    case 'stopping':
      return `stopping (${event.reason})`;
    case 'pod-ready':
      return `${event.pod} is ready`;
    case 'pod-killed':
      return `${event.pod} killed on request (${event.signal})`;
    case 'pod-unhealthy':
      return `${event.pod} unhealthy: ${event.reason}; restarting`;
    case 'task-skipped':
      return `task ${event.task} skipped: ${event.reason}`;
    case 'pod-stalled':
      return `${event.pod} stalled: stdin not read for ${Math.floor(event.forMs / 1000)}s, ${event.queued} messages waiting`;
    case 'pod-unstalled':
      return `${event.pod} ${event.how === 'reading' ? 'reads its stdin again' : 'is gone'} after ${Math.floor(event.forMs / 1000)}s stalled`;
    case 'completed':
      return event.failure === null ? 'run complete: every job succeeded' : `run complete: ${event.failure}`;
    case 'bus-connection':
      return describeConnection(event.state, event.server);
  }
}

function describeConnection(state: BusConnectionState, server: string): string {
  switch (state) {
    case 'connected':
      return `connected to the NATS server ${server}`;
    case 'disconnected':
      return `lost the NATS server ${server}: pods keep running, publishing pods are paused; reconnecting`;
    case 'reconnecting':
      return `reconnecting to the NATS server ${server}`;
    case 'reconnected':
      return `reconnected to the NATS server ${server}: work resumes`;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
}
