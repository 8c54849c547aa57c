import type { Operations } from '../app/operations.js';
import type { PodSnapshot, RunView, TaskPhase, TaskSnapshot } from '../app/queries.js';
import type { BusAccounting } from '../app/bus-accounting.js';
import { matchTopic, type Bus } from '../bus/bus.js';
import { ConfigError } from '../config/errors.js';
import type { EventLog } from '../observe/event-log.js';
import type { PodLogStore } from '../observe/log-store.js';
import { isReservedTopic, topicProblem } from '../protocol/index.js';
import { AutoscaledTaskError, TaskNotFoundError } from '../app/errors.js';
import type { GroupUsage } from '../pod/usage-sampler.js';
import type { BusInfo } from './api-types.js';
import { DeadLetterNotFoundError, LogTargetNotFoundError, NoRespondersError, PublishTopicError, RequestTimeoutError } from './errors.js';
import { LoopLag } from './loop-lag.js';
import { metricFamilies } from './metrics.js';
import { renderMetrics } from './metrics-text.js';
import type { ControlTarget, PodInfo, TaskInfo } from './target.js';
import type { TopicInfo } from './api-types.js';

/** What the control plane reads and changes of a run; never the Orchestrator itself. */
export interface TargetDeps {
  readonly view: RunView;
  readonly operations: Pick<Operations, 'scale' | 'restart' | 'reload' | 'kill'>;
  readonly accounting: Pick<BusAccounting, 'topics' | 'deadLetters' | 'ackLatency'>;
  /** CPU / RSS per process group (a pod's pid leads its group). */
  readonly usage: { sample(pgids: readonly number[]): ReadonlyMap<number, GroupUsage> };
  /** The orchestrator's own RSS (bytes). */
  readonly rss: () => number;
  readonly bus: Pick<Bus, 'publish' | 'redeliverTo' | 'tap' | 'request' | 'latest' | 'podSubscriptions'>;
  readonly logs: Pick<PodLogStore, 'knows' | 'query' | 'follow'>;
  readonly events: Pick<EventLog, 'list' | 'follow'>;
  /** Resolves once the run is over. */
  readonly done: Promise<unknown>;
}

export interface StatusDeps {
  readonly pid: number;
  readonly startedAt: number;
  /** Fixed for the run's lifetime ([bus] changes need a restart). */
  readonly bus: BusInfo;
  /** tasks.toml as applied last. */
  config(): string;
  stopping(): boolean;
  onStop(force: boolean): void;
  /** The dashboard's URL (no fragment) and the token to put in it, null without --ui; `token` null when it came from ORCHESTRATOR_TOKEN. */
  ui(): { readonly url: string; readonly token: string | null } | null;
}

/** Throws PublishTopicError unless the API may publish on `topic`. */
function checkPublishable(topic: string): void {
  const problem = topicProblem(topic);
  if (problem !== null) throw new PublishTopicError(topic, problem);
  if (isReservedTopic(topic)) throw new PublishTopicError(topic, 'system.* topics are reserved for the orchestrator');
}

/**
 * The control plane's view of a run: maps the run's snapshots to the wire rows of ControlTarget
 * and forwards changes to its operations. It keeps no state of its own.
 */
export function orchestratorTarget(run: TargetDeps, info: StatusDeps): ControlTarget {
  const { view, operations } = run;
  const knownTasks = (): string[] => view.tasks().map((t) => t.name);
  const { topics, deadLetters, ackLatency } = run.accounting;
  const loopLag = new LoopLag();
  let watchDropped = 0;
  void run.done.then(() => loopLag.close());
  const pods = (usage: boolean): PodInfo[] => {
    const snapshots = view.pods();
    const sampled = usage ? run.usage.sample(snapshots.flatMap((p) => (p.pid === null ? [] : [p.pid]))) : null;
    return snapshots.map((p) => podInfo(p, p.pid === null ? undefined : sampled?.get(p.pid)));
  };
  const tasks = (): TaskInfo[] => view.tasks().map((t) => taskInfo(t, topics.publishedBy(t.name)));
  const checkTask = (task: string): void => {
    if (view.task(task) === undefined) throw new TaskNotFoundError(task, knownTasks());
  };
  const pick = (task: string, id: string | null): void => {
    checkTask(task);
    if (id !== null && !deadLetters.list(task).some((l) => l.id === id)) throw new DeadLetterNotFoundError(task, id);
  };
  return {
    status: (viaSocket) => {
      const ui = info.ui();
      return {
        pid: info.pid,
        config: info.config(),
        startedAt: info.startedAt,
        stopping: info.stopping(),
        bus: info.bus,
        ui: ui === null ? null : { url: viaSocket && ui.token !== null ? `${ui.url}#token=${encodeURIComponent(ui.token)}` : ui.url },
      };
    },
    pods: (usage = true) => pods(usage),
    tasks,
    scale: async (replicas, wait) => {
      const known = knownTasks();
      for (const task of Object.keys(replicas)) if (!known.includes(task)) throw new TaskNotFoundError(task, known);
      for (const task of Object.keys(replicas)) {
        const bounds = view.task(task)?.autoscale;
        if (bounds != null) throw new AutoscaledTaskError(task, bounds);
      }
      const changes = Object.entries(replicas).map(([task, to]) => ({ task, from: view.task(task)?.desired ?? 0, to }));
      const done = Promise.all(changes.map((c) => operations.scale(c.task, c.to)));
      if (wait) await done;
      return changes;
    },
    publish: (topic, data) => {
      checkPublishable(topic);
      run.bus.publish(topic, data, null);
      return { topic };
    },
    request: async (topic, data, timeoutMs) => {
      checkPublishable(topic);
      const outcome = await run.bus.request(topic, data, timeoutMs);
      if (outcome.type === 'no-responders') throw new NoRespondersError(topic);
      if (outcome.type === 'timeout') throw new RequestTimeoutError(topic, outcome.afterMs);
      const m = outcome.reply;
      return { id: m.id, topic: m.topic, data: m.data, from: m.from, publishedAt: m.publishedAt, inReplyTo: m.inReplyTo ?? '' };
    },
    latest: async (topic) => {
      const problem = topicProblem(topic);
      if (problem !== null) throw new PublishTopicError(topic, problem);
      const m = await run.bus.latest(topic);
      return m === null ? null : { id: m.id, topic: m.topic, data: m.data, from: m.from, publishedAt: m.publishedAt };
    },
    subscribe: (patterns, listener) => run.bus.tap(patterns, (m) => listener({ id: m.id, topic: m.topic, data: m.data, from: m.from, publishedAt: m.publishedAt })),
    logs: (query) => {
      for (const target of query.targets) if (!run.logs.knows(target) && view.task(target) === undefined) throw new LogTargetNotFoundError(target);
      return run.logs.query(query);
    },
    followLogs: (targets, listener) => run.logs.follow(targets, listener),
    events: (after) => run.events.list(after),
    followEvents: (listener) => run.events.follow(listener),
    restart: async (task, wait) => {
      const outcome = operations.restart(task);
      if (!wait) return { task, replaced: [], superseded: false };
      const result = await outcome;
      return { task, replaced: result.replaced, superseded: result.type === 'superseded' };
    },
    apply: async (wait) => {
      const result = await operations.reload('apply');
      if (!result.ok) {
        const problems = result.error instanceof ConfigError ? result.error.problems : [];
        const code = (result.error as { code?: string }).code ?? 'RELOAD_FAILED';
        return { ok: false, code, message: result.error.message, problems };
      }
      if (wait) await result.done;
      return { ok: true, summary: result.summary };
    },
    stop: async (force) => {
      info.onStop(force);
      await run.done;
    },
    kill: (pod, force) => operations.kill(pod, force),
    topics: () => {
      const specs = view.tasks();
      const own = run.bus.podSubscriptions();
      const list: TopicInfo[] = topics.list().map((t) => ({
        topic: t.topic,
        publishers: Object.fromEntries(t.publishers),
        subscribers: [
          ...specs.flatMap((spec) => spec.subscribe.filter((pattern) => safeMatch(pattern, t.topic)).map((pattern) => ({ task: spec.name, mode: spec.mode, pattern }))),
          ...own.filter((s) => safeMatch(s.pattern, t.topic)).map((s) => ({ task: s.task, mode: 'pod', pattern: s.pattern, pod: s.pod })),
        ],
        published: t.published,
        lastAt: t.lastAt,
        latest: t.latest,
      }));
      return { topics: list, evicted: topics.evicted };
    },
    deadLetters: (task) => {
      checkTask(task);
      return { task, dead: [...deadLetters.list(task)], evicted: deadLetters.evicted(task) };
    },
    retryDeadLetters: (task, id) => {
      pick(task, id);
      const letters = deadLetters.list(task).filter((l) => id === null || l.id === id);
      // Back to the task that dead-lettered it only: the other subscribers of its topic had it.
      // Queued first, removed after: a letter the bus refuses (it no longer knows the task) stays
      // listed instead of being lost.
      const retried = letters.filter((letter) => run.bus.redeliverTo(task, letter.topic, letter.data)).map((l) => l.id);
      deadLetters.take(task, retried);
      return retried;
    },
    deleteDeadLetters: (task, id) => {
      pick(task, id);
      return deadLetters.take(task, id === null ? null : [id]).length;
    },
    metrics: () =>
      renderMetrics(
        metricFamilies({
          now: Date.now(),
          pods: pods(true),
          tasks: tasks(),
          published: (task) => topics.publishedBy(task),
          latency: (task) => ackLatency.of(task),
          rss: run.rss(),
          loopLag: loopLag.read(),
          watchDropped,
        }),
      ),
    watchDropped: (n) => {
      watchDropped += n;
    },
  };
}

/** Config patterns are validated at load; a pattern that still fails to compile matches nothing. */
function safeMatch(pattern: string, topic: string): boolean {
  try {
    return matchTopic(pattern, topic);
  } catch {
    return false;
  }
}

function podInfo(pod: PodSnapshot, usage: GroupUsage | undefined): PodInfo {
  return {
    name: pod.name,
    task: pod.task,
    index: pod.index,
    status: pod.phase,
    ready: pod.ready,
    leaving: pod.leaving,
    restarts: pod.restarts,
    lastRestartAt: pod.lastRestartAt,
    createdAt: pod.createdAt,
    pid: pod.pid,
    inFlight: pod.inFlight,
    delivered: pod.delivered,
    acked: pod.acked,
    cpu: usage?.cpu ?? null,
    rss: usage?.rss ?? null,
    stalled: pod.stalledSince !== null,
    stalledSince: pod.stalledSince,
  };
}

function taskInfo(task: TaskSnapshot, published: number): TaskInfo {
  const s = task.stats;
  return {
    name: task.name,
    desired: task.desired,
    current: task.current,
    ready: task.ready,
    state: wireState(task.phase),
    restart: task.restart,
    mode: task.mode,
    subscribe: task.subscribe,
    colors: task.colors,
    queued: s.queued,
    inFlight: s.inFlight,
    oldestQueuedAt: s.oldestQueuedAt,
    deadLettered: s.deadLettered,
    published,
    acked: s.acked,
    delivered: s.delivered,
    redelivered: s.redelivered,
    dropped: s.dropped,
    rejected: s.rejected,
    discarded: task.discarded,
    stalled: task.stalled,
    ...(task.autoscale === null ? {} : { autoscale: autoscaleInfo(task.autoscale) }),
  };
}

function autoscaleInfo(status: NonNullable<TaskSnapshot['autoscale']>): NonNullable<TaskInfo['autoscale']> {
  const last = status.lastChange;
  return { min: status.min, max: status.max, idleMs: status.idleMs, lastChange: last === null ? null : { from: last.from, to: last.to, reason: last.reason, at: last.at } };
}

/**
 * The one translation between the run's vocabulary and the wire: API v1 `TaskInfo.state` says
 * `completed` where the run says `succeeded`, and stays so because `orchestrator wait` and API
 * clients (docs/api.md) read it.
 */
function wireState(phase: TaskPhase): TaskInfo['state'] {
  return phase === 'succeeded' ? 'completed' : phase;
}
