import { compilePattern, matchCompiled, type CompiledPattern } from './topic-pattern.js';

/** Who, inside one task, wants a topic. */
export interface TaskSubscribers {
  readonly task: string;
  /** The task itself subscribes (config `subscribe`): the message belongs in the task's queue. */
  readonly taskLevel: boolean;
  /** Pods of this task that subscribed on their own (`system.subscribe`), in subscription order. */
  readonly pods: readonly string[];
}

/** One pod-level subscription (`"system.subscribe": pattern`), for views. */
export interface PodSubscription {
  readonly pod: string;
  readonly task: string;
  readonly pattern: string;
}

/** Subscribers of one topic grouped by task, tasks in registration order. Frozen; never mutate. */
export type SubscriberRoute = readonly TaskSubscribers[];

export interface TopicBrokerOptions {
  /** Most topics whose route is cached (>= 1). Past it the cache is cleared. Default 10,000. */
  readonly maxCachedRoutes?: number;
}

interface PodSubscriptions {
  readonly task: string;
  readonly patterns: Map<string, CompiledPattern>;
}

const EMPTY_ROUTE: SubscriberRoute = Object.freeze([]);

/**
 * The subscription registry and the fan-out route of a topic (every transport routes with it).
 *
 * Two kinds of subscriptions:
 * - task-level (config `subscribe`): persist while the task is configured, whatever its pods do,
 *   so messages for a task queue up even when none of its pods is running;
 * - pod-level (`"system.subscribe": pattern`): belong to one pod; `removePod` drops them.
 *
 * Routes are cached per topic and the whole cache is invalidated on any subscription change; the
 * cache is capped (cleared when full) so publishers on ever-new topics cannot grow it without
 * bound. `hasSubscribers` is therefore O(1) amortised. The broker delivers nothing itself: a
 * transport turns a route into queue entries.
 */
export class TopicBroker {
  private readonly taskPatterns = new Map<string, readonly CompiledPattern[]>();
  private readonly podSubs = new Map<string, PodSubscriptions>();
  private readonly routes = new Map<string, SubscriberRoute>();
  private readonly maxCachedRoutes: number;
  /** The topic routed last and its route (null: none since the last change). */
  private lastTopic: string | null = null;
  private lastRoute: SubscriberRoute = EMPTY_ROUTE;

  constructor(options: TopicBrokerOptions = {}) {
    this.maxCachedRoutes = options.maxCachedRoutes ?? 10_000;
  }

  /** Replaces the task's task-level patterns. Validates all first: throws InvalidTopicPatternError. */
  setTaskSubscriptions(task: string, patterns: readonly string[]): void {
    const compiled = [...new Set(patterns)].map(compilePattern);
    this.taskPatterns.set(task, compiled);
    this.forgetRoutes();
  }

  /** Forgets the task's task-level patterns (its pods' own subscriptions go with `removePod`). */
  removeTask(task: string): void {
    if (this.taskPatterns.delete(task)) this.forgetRoutes();
  }

  taskSubscriptions(task: string): readonly string[] {
    return (this.taskPatterns.get(task) ?? []).map((p) => p.source);
  }

  /** Adds a pod-level subscription. False when the pod already had it. Throws on a bad pattern. */
  subscribePod(pod: string, task: string, pattern: string): boolean {
    const compiled = compilePattern(pattern);
    let subs = this.podSubs.get(pod);
    if (subs === undefined) {
      subs = { task, patterns: new Map() };
      this.podSubs.set(pod, subs);
    }
    if (subs.patterns.has(pattern)) return false;
    subs.patterns.set(pattern, compiled);
    this.forgetRoutes();
    return true;
  }

  /** Removes one pod-level subscription. False when the pod did not have it. */
  unsubscribePod(pod: string, pattern: string): boolean {
    const subs = this.podSubs.get(pod);
    if (subs === undefined || !subs.patterns.delete(pattern)) return false;
    if (subs.patterns.size === 0) this.podSubs.delete(pod);
    this.forgetRoutes();
    return true;
  }

  /** Drops every pod-level subscription of the pod (it exited or was removed). */
  removePod(pod: string): void {
    if (this.podSubs.delete(pod)) this.forgetRoutes();
  }

  podSubscriptions(pod: string): readonly string[] {
    return [...(this.podSubs.get(pod)?.patterns.keys() ?? [])];
  }

  /** Every pod-level subscription, pods in the order they first subscribed, each pod's in its order. */
  allPodSubscriptions(): PodSubscription[] {
    const all: PodSubscription[] = [];
    for (const [pod, subs] of this.podSubs) for (const pattern of subs.patterns.keys()) all.push({ pod, task: subs.task, pattern });
    return all;
  }

  /** Subscribers of `topic` grouped by task. Cached; the returned array is shared and frozen. */
  subscribersByTask(topic: string): SubscriberRoute {
    // A run of messages on one topic (the parser hands out one topic string for a run) needs no lookup.
    if (topic === this.lastTopic) return this.lastRoute;
    let route = this.routes.get(topic);
    if (route === undefined) {
      route = this.computeRoute(topic);
      if (this.routes.size >= this.maxCachedRoutes) this.routes.clear();
      this.routes.set(topic, route);
    }
    this.lastTopic = topic;
    this.lastRoute = route;
    return route;
  }

  /** Any subscription changed: every cached route may be wrong. */
  private forgetRoutes(): void {
    this.routes.clear();
    this.lastTopic = null;
    this.lastRoute = EMPTY_ROUTE;
  }

  /** O(1) amortised: answered from the route cache. */
  hasSubscribers(topic: string): boolean {
    return this.subscribersByTask(topic).length > 0;
  }

  private computeRoute(topic: string): SubscriberRoute {
    const byTask = new Map<string, { task: string; taskLevel: boolean; pods: string[] }>();
    for (const [task, patterns] of this.taskPatterns) {
      if (patterns.some((p) => matchCompiled(p, topic))) byTask.set(task, { task, taskLevel: true, pods: [] });
    }
    for (const [pod, subs] of this.podSubs) {
      let matched = false;
      for (const p of subs.patterns.values()) {
        if (matchCompiled(p, topic)) {
          matched = true;
          break;
        }
      }
      if (!matched) continue;
      let entry = byTask.get(subs.task);
      if (entry === undefined) {
        entry = { task: subs.task, taskLevel: false, pods: [] };
        byTask.set(subs.task, entry);
      }
      entry.pods.push(pod);
    }
    if (byTask.size === 0) return EMPTY_ROUTE;
    return Object.freeze([...byTask.values()].map((e) => Object.freeze({ ...e, pods: Object.freeze(e.pods) })));
  }
}
