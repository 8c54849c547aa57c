import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBus, type Bus } from '../bus/bus.js';
import { Orchestrator } from './orchestrator.js';
import { loadConfig } from '../config/index.js';
import type { ConfigLoader } from '../config/load-isolated.js';
import type { OrchestratorConfig } from '../config/types.js';
import { load } from '../config/load-from-memory.case.js';
import { FakeProcessGroups } from '../testing/fake-process-groups.js';
import { FakeSpawner } from '../testing/fake-spawner.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { silentLogger } from '../util/logger.js';

/** Lets stream events (nextTick) and every pending promise chain run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** An Orchestrator on fakes: children start at once and die when their group is signalled. */
function setup(text: string, options: { config?: OrchestratorConfig; bus?: (real: Bus) => Bus; exitOnComplete?: boolean; loadConfig?: ConfigLoader } = {}) {
  const config = options.config ?? load(text);
  const clock = new VirtualClock(1_000_000);
  const real = createBus({ clock, logger: silentLogger });
  let closes = 0;
  const bus: Bus = {
    ...(options.bus?.(real) ?? real),
    close: () => {
      closes++;
      return real.close();
    },
  };
  const spawner = new FakeSpawner({ autoSpawn: true });
  const processGroups = new FakeProcessGroups();
  const log: string[] = [];
  processGroups.onSignal = (pgid, signal) => {
    const child = spawner.byPid(pgid);
    if (child !== undefined) queueMicrotask(() => child.die(signal));
  };
  const orchestrator = new Orchestrator({
    config,
    logger: silentLogger,
    output: { line: () => {} },
    spawner: spawner.spawn,
    clock,
    env: {},
    loadConfig: options.loadConfig ?? loadConfig,
    bus,
    exitOnComplete: options.exitOnComplete ?? false,
    processGroups,
    groups: {
      spawning: () => {},
      spawned: () => {},
      remove: (pgid) => log.push(`remove ${pgid}`),
      open: () => log.push('open'),
      close: () => log.push('close'),
    },
  });
  /** The task whose pod has process group `pgid`. */
  const taskOf = (pgid: number): string | undefined => spawner.byPid(pgid)?.request.env.ORCHESTRATOR_TASK;
  /** The child of the task's replica 0 (the first spawned). */
  const child = (task: string) => {
    const found = spawner.children.find((c) => c.request.env.ORCHESTRATOR_TASK === task);
    if (found === undefined) throw new Error(`no child for ${task}`);
    return found;
  };
  const signalled = () => processGroups.signals.map((s) => `${taskOf(s.pgid)} ${s.signal}`);
  return { orchestrator, clock, spawner, processGroups, log, taskOf, bus, child, signalled, closes: () => closes };
}

describe('Orchestrator on fakes', () => {
  it('stops dependents before what they depend on, then closes the group registry once', async () => {
    const h = setup('[tasks.a]\ncommand = ["a"]\n\n[tasks.b]\ncommand = ["b"]\ndepends_on = { a = "started" }\n');
    await h.orchestrator.start();
    await flush();
    expect(h.spawner.requests.map((r) => r.env.ORCHESTRATOR_TASK)).toEqual(['a', 'b']);

    await h.orchestrator.stop('test');
    expect(await h.orchestrator.done).toEqual({ type: 'stopped', reason: 'test' });
    // b got its stop_signal and was gone (its leader's exit kills the rest of its group) before a got any signal.
    expect(h.processGroups.signals.map((s) => `${h.taskOf(s.pgid)} ${s.signal}`)).toEqual(['b SIGTERM', 'b SIGKILL', 'a SIGTERM', 'a SIGKILL']);
    const [a, b] = h.spawner.children;
    expect(h.log).toEqual(['open', `remove ${b!.pid}`, `remove ${a!.pid}`, 'close']);
    expect(h.clock.pending).toBe(0);
  });

  it('a reload of an invalid file records reload-failed with one line per problem and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestrator-app-test-'));
    try {
      const file = join(dir, 'tasks.toml');
      writeFileSync(file, '[tasks.a]\ncommand = ["a"]\n');
      const h = setup('', { config: loadConfig(file, { env: {} }) });
      await h.orchestrator.start();
      await flush();
      writeFileSync(file, '[tasks.a]\ncommand = ["a"]\nreplica = 2\n\n[tasks.b]\nreplicas = 1\n');
      const result = await h.orchestrator.reload('test');
      expect(result.ok).toBe(false);
      const failed = h.orchestrator.events.list().filter((e) => e.type === 'reload-failed');
      expect(failed.map((e) => (e.type === 'reload-failed' ? e.problems : null))).toEqual([
        [`${file}:3:1 tasks.a.replica: unknown key, did you mean "replicas"?`, `${file}:5:8 tasks.b: missing required key "command"`],
      ]);
      expect(h.spawner.requests.map((r) => r.env.ORCHESTRATOR_TASK)).toEqual(['a']);
      await h.orchestrator.stop('test');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reloads one at a time, each from the config the one before applied; a stop during a load wins', async () => {
    const loads: Array<{ resolve: (config: OrchestratorConfig) => void }> = [];
    const loader: ConfigLoader = () => new Promise((resolve) => loads.push({ resolve }));
    const h = setup('[tasks.a]\ncommand = ["a"]\n', { loadConfig: loader });
    await h.orchestrator.start();
    await flush();
    const first = h.orchestrator.reload('first');
    const second = h.orchestrator.reload('second');
    await flush();
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(load('[tasks.a]\ncommand = ["a"]\nreplicas = 2\n'));
    expect((await first).ok).toBe(true);
    await flush();
    expect(loads).toHaveLength(2);
    expect(h.orchestrator.currentConfig.tasks[0]?.replicas).toBe(2);
    void h.orchestrator.stop('test');
    loads[1]!.resolve(load('[tasks.a]\ncommand = ["a"]\nreplicas = 3\n'));
    const late = await second;
    expect(late.ok === false && (late.error as { code?: string }).code).toBe('STOPPING');
    expect(h.orchestrator.currentConfig.tasks[0]?.replicas).toBe(2);
    await h.orchestrator.done;
  });

  it('records pod events in the order of the observers: started before ready, exited before the restart, stopped last', async () => {
    const h = setup('[tasks.a]\ncommand = ["a"]\nbackoff = { base = "1s" }\n');
    await h.orchestrator.start();
    await flush();
    h.child('a').crash(3);
    await flush();
    await h.clock.advanceAsync(1000);
    await flush();
    await h.orchestrator.stop('test');
    const types = h.orchestrator.events.list().map((e) => e.type);
    expect(types).toEqual(['pod-started', 'pod-ready', 'pod-exited', 'pod-started', 'pod-ready', 'stopping', 'pod-stopped']);
    // The restart was scheduled when it crashed, before the 1 s backoff passed.
    expect(h.orchestrator.view.pods().map((p) => [p.name, p.phase, p.restarts, p.lastRestartAt])).toEqual([['a-0', 'stopped', 1, 1_000_000]]);
  });

  it('a stop while the bus starts starts no pod and ends the run as stopped', async () => {
    let connected!: () => void;
    const h = setup('[tasks.a]\ncommand = ["a"]\n', { bus: (real) => ({ ...real, start: () => new Promise<void>((resolve) => (connected = resolve)) }) });
    const started = h.orchestrator.start();
    const stopped = h.orchestrator.stop('early');
    connected();
    await started;
    await stopped;
    expect(await h.orchestrator.done).toEqual({ type: 'stopped', reason: 'early' });
    expect(h.spawner.count).toBe(0);
    expect(h.log).toEqual(['close']);
    expect(h.closes()).toBe(1);
  });

  it('a bus that cannot start makes start() reject with its error, and nothing is spawned', async () => {
    const refused = new Error('connection refused');
    const h = setup('[tasks.a]\ncommand = ["a"]\n', { bus: (real) => ({ ...real, start: () => Promise.reject(refused) }) });
    await expect(h.orchestrator.start()).rejects.toBe(refused);
    await flush();
    expect(h.spawner.count).toBe(0);
    expect(h.log).toEqual([]);
  });
});

/** Two services (b depends on a) and a job that feeds a two messages, on --exit-on-complete. */
const PIPELINE = `
[tasks.a]
command = ["a"]
subscribe = ["work"]
mode = "round_robin"
concurrency = 2

[tasks.b]
command = ["b"]
depends_on = { a = "started" }

[tasks.job]
command = ["job"]
restart = "never"
`;

/** Runs PIPELINE until the job has exited 0 with both of its messages in flight at a. */
async function pipelineCompleting() {
  const h = setup(PIPELINE, { exitOnComplete: true });
  let outcome: unknown = null;
  void h.orchestrator.done.then((o) => (outcome = o));
  await h.orchestrator.start();
  await flush();
  h.child('job').stdout.write('"work": 1\n"work": 2\n');
  await flush();
  h.child('job').crash(0);
  await flush();
  expect(h.bus.pending()).toBe(2);
  expect(h.orchestrator.view.task('job')?.phase).toBe('succeeded');
  return { ...h, outcome: () => outcome };
}

describe('Orchestrator on fakes: completion (--exit-on-complete)', () => {
  it('waits for the services to ack what the job sent, then on the 50 ms poll stops them dependents-first, once', async () => {
    const h = await pipelineCompleting();
    expect(h.outcome()).toBeNull();
    h.child('a').stdout.write('"work.result": ok\n"work.result": ok\n');
    await flush();
    expect(h.bus.pending()).toBe(0);
    // Nothing says when the bus drained: only the poll, on the clock, notices.
    expect(h.outcome()).toBeNull();
    await h.clock.advanceAsync(50);
    await flush();
    expect(await h.orchestrator.done).toEqual({ type: 'completed', failure: null });
    expect(h.signalled()).toEqual(['job SIGKILL', 'b SIGTERM', 'b SIGKILL', 'a SIGTERM', 'a SIGKILL']);
    expect(h.orchestrator.events.list().filter((e) => e.type === 'completed' || e.type === 'stopping').map((e) => e.type)).toEqual(['completed']);
    expect(h.closes()).toBe(1);
    expect(h.log.filter((l) => l === 'close')).toEqual(['close']);
    expect(h.clock.pending).toBe(0);
  });

  it('a stop while completing ends the run as stopped: one shutdown, the poll is gone', async () => {
    const h = await pipelineCompleting();
    await h.orchestrator.stop('test');
    expect(await h.orchestrator.done).toEqual({ type: 'stopped', reason: 'test' });
    await h.clock.advanceAsync(1000);
    await flush();
    expect(h.closes()).toBe(1);
    expect(h.log.filter((l) => l === 'close')).toEqual(['close']);
    expect(h.orchestrator.events.list().filter((e) => e.type === 'completed' || e.type === 'stopping').map((e) => e.type)).toEqual(['stopping']);
  });

  it('a stop after completion began gets the same shutdown and keeps the completed outcome', async () => {
    const h = await pipelineCompleting();
    h.child('a').stdout.write('"work.result": ok\n"work.result": ok\n');
    await flush();
    await h.clock.advanceAsync(50);
    const late = h.orchestrator.stop('late');
    await late;
    expect(await h.orchestrator.done).toEqual({ type: 'completed', failure: null });
    expect(h.closes()).toBe(1);
    expect(h.orchestrator.events.list().filter((e) => e.type === 'completed' || e.type === 'stopping').map((e) => e.type)).toEqual(['completed']);
  });
});

describe('RunView on fakes', () => {
  it('phases follow the run: waiting behind depends_on, running, ready, succeeded; pods by name', async () => {
    const h = setup('[tasks.a]\ncommand = ["a"]\nready = { log = "up" }\n\n[tasks.b]\ncommand = ["b"]\nrestart = "never"\ndepends_on = { a = "ready" }\n');
    const phases = () => h.orchestrator.view.tasks().map((t) => `${t.name} ${t.phase}`);
    expect(phases()).toEqual(['a waiting', 'b waiting']);
    await h.orchestrator.start();
    await flush();
    expect(phases()).toEqual(['a running', 'b waiting']);
    expect(h.orchestrator.view.pod('a-0')).toMatchObject({ task: 'a', index: 0, phase: 'running', ready: false, restarts: 0, lastRestartAt: null, createdAt: 1_000_000 });
    h.child('a').stdout.write('up\n');
    await flush();
    expect(phases()).toEqual(['a ready', 'b ready']);
    expect(h.orchestrator.view.pod('a-0')?.ready).toBe(true);
    h.child('b').crash(0);
    await flush();
    expect(phases()).toEqual(['a ready', 'b succeeded']);
    expect(h.orchestrator.view.task('b')).toMatchObject({ job: true, desired: 1, current: 1, ready: 0 });
    expect(h.orchestrator.view.pod('nope-0')).toBeUndefined();
    await h.orchestrator.stop('test');
  });
});

describe('Orchestrator on fakes: finished jobs', () => {
  it('a job that ended reads no more (its messages are dropped) until a pod of it runs again', async () => {
    const h = setup('[tasks.svc]\ncommand = ["svc"]\n\n[tasks.job]\ncommand = ["job"]\nrestart = "never"\nsubscribe = ["work"]\n');
    await h.orchestrator.start();
    await flush();
    h.child('job').crash(1);
    await flush();
    expect(h.orchestrator.view.task('job')?.phase).toBe('failed');
    expect(h.bus.isClosed('job')).toBe(true);
    h.bus.publish('work', 'lost', null);
    expect(h.bus.stats().tasks['job']).toMatchObject({ queued: 0, dropped: 1 });
    await h.orchestrator.operations.restart('job');
    await flush();
    expect(h.bus.isClosed('job')).toBe(false);
    h.bus.publish('work', 'kept', null);
    expect(h.spawner.children.filter((c) => c.request.env.ORCHESTRATOR_TASK === 'job')).toHaveLength(2);
    expect(h.bus.stats().tasks['job']).toMatchObject({ dropped: 1, delivered: 1 });
    await h.orchestrator.stop('test');
  });
});
