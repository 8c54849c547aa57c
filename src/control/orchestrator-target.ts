import type { Orchestrator } from '../app/orchestrator.js';
import { ConfigError } from '../config/index.js';
import type { Pod } from '../pod/pod.js';
import { isReservedTopic, topicProblem } from '../protocol/index.js';
import { TaskNotFoundError } from '../app/errors.js';
import { LogTargetNotFoundError, PublishTopicError } from './errors.js';
import type { ControlTarget, PodInfo, TaskInfo } from './target.js';

/**
 * The control plane's view of a running Orchestrator: turns its controllers, dispatcher stats,
 * log store and event log into the plain rows and results of ControlTarget.
 */
export function orchestratorTarget(orchestrator: Orchestrator, info: { pid: number; startedAt: number; onStop(force: boolean): void }): ControlTarget {
  const restarted = new WeakMap<Pod, { count: number; at: number }>();
  // Pods count restarts but keep no time; note it from the exit events that announce one.
  const lastRestart = (pod: Pod): number | null => (pod.restarts === 0 ? null : (restarted.get(pod)?.at ?? null));
  orchestrator.events.follow((event) => {
    if (event.type !== 'pod-exited' || event.restartInMs === null) return;
    const pod = orchestrator.controllerList().flatMap((c) => c.list()).find((p) => p.name === event.pod);
    if (pod !== undefined) restarted.set(pod, { count: pod.restarts + 1, at: event.at });
  });
  const knownTasks = (): string[] => orchestrator.controllerList().map((c) => c.name);

  return {
    status: () => ({ pid: info.pid, config: orchestrator.currentConfig.file, startedAt: info.startedAt, stopping: orchestrator.isStopping }),
    pods: () => {
      const stats = orchestrator.bus.stats().pods;
      return orchestrator.controllerList().flatMap((c) =>
        c.list().map((pod): PodInfo => {
          const s = stats[pod.name];
          const leaving = c.isLeaving(pod);
          const stalledSince = orchestrator.stalledSince(pod.name);
          return {
            name: pod.name,
            task: c.name,
            index: pod.index,
            status: pod.state.phase,
            ready: orchestrator.isReady(pod) && !leaving,
            leaving,
            restarts: pod.restarts,
            lastRestartAt: lastRestart(pod),
            createdAt: orchestrator.podCreatedAt(pod),
            pid: pod.pid,
            inFlight: s?.inFlight ?? 0,
            delivered: s?.delivered ?? 0,
            acked: s?.acked ?? 0,
            stalled: stalledSince !== null,
            stalledSince,
          };
        }),
      );
    },
    tasks: () => {
      const stats = orchestrator.bus.stats().tasks;
      return orchestrator.controllerList().map((c): TaskInfo => {
        const s = stats[c.name];
        const pods = c.list().filter((p) => !c.isLeaving(p));
        return {
          name: c.name,
          desired: c.replicas,
          current: pods.length,
          ready: pods.filter((p) => orchestrator.isReady(p)).length,
          state: orchestrator.taskState(c.name),
          restart: c.taskSpec.restart,
          mode: c.taskSpec.mode,
          subscribe: c.taskSpec.subscribe,
          colors: c.taskSpec.colors,
          queued: s?.queued ?? 0,
          inFlight: s?.inFlight ?? 0,
          oldestQueuedAt: s?.oldestQueuedAt ?? null,
          deadLettered: s?.deadLettered ?? 0,
          delivered: s?.delivered ?? 0,
          redelivered: s?.redelivered ?? 0,
          dropped: s?.dropped ?? 0,
          rejected: s?.rejected ?? 0,
          discarded: orchestrator.discarded(c.name),
          stalled: orchestrator.stalledPods(c.name),
        };
      });
    },
    scale: async (replicas, wait) => {
      const known = knownTasks();
      for (const task of Object.keys(replicas)) if (!known.includes(task)) throw new TaskNotFoundError(task, known);
      const changes = Object.entries(replicas).map(([task, to]) => ({ task, from: orchestrator.controllerList().find((c) => c.name === task)?.replicas ?? 0, to }));
      const done = Promise.all(changes.map((c) => orchestrator.scale(c.task, c.to)));
      if (wait) await done;
      return changes;
    },
    publish: (topic, data) => {
      const problem = topicProblem(topic);
      if (problem !== null) throw new PublishTopicError(topic, problem);
      if (isReservedTopic(topic)) throw new PublishTopicError(topic, 'system.* topics are reserved for the orchestrator');
      orchestrator.bus.publish(topic, data, null);
      return { topic };
    },
    subscribe: (patterns, listener) => orchestrator.bus.tap(patterns, (m) => listener({ id: m.id, topic: m.topic, data: m.data, from: m.from, publishedAt: m.publishedAt })),
    logs: (query) => {
      for (const target of query.targets) if (!orchestrator.logs.knows(target) && !knownTasks().includes(target)) throw new LogTargetNotFoundError(target);
      return orchestrator.logs.query(query);
    },
    followLogs: (targets, listener) => orchestrator.logs.follow(targets, listener),
    events: (after) => orchestrator.events.list(after),
    followEvents: (listener) => orchestrator.events.follow(listener),
    restart: async (task, wait) => {
      const outcome = orchestrator.restart(task);
      if (!wait) return { task, replaced: [], superseded: false };
      const result = await outcome;
      return { task, replaced: result.replaced, superseded: result.type === 'superseded' };
    },
    apply: async (wait) => {
      const result = orchestrator.reload('apply');
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
      await orchestrator.done;
    },
  };
}
