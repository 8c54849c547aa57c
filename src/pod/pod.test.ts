import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { load } from '../config/load-from-memory.case.js';
import type { ExitInfo } from './exit.js';
import type { TaskSpec } from '../config/types.js';
import { FakeProcessGroups } from '../testing/fake-process-groups.js';
import { FakeSpawner } from '../testing/fake-spawner.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { systemClock } from '../util/clock.js';
import { silentLogger } from '../util/logger.js';
import { PodStateError } from './errors.js';
import { Pod, type PodDeps } from './pod.js';
import { assertTransition, canTransition, type PodPhase } from './pod-state.js';
import type { Spawned, SpawnedProcess, StartFailure } from './spawner.js';

const spec = load('[tasks.w]\ncommand = ["w"]\n').tasks[0]!;

/** A spawner whose every call is scripted: a process with this pid, or a start failure. */
function scripted(outcomes: Array<{ pid: number } | StartFailure>, log: string[]): PodDeps['spawner'] {
  return () => {
    const outcome = outcomes.shift();
    if (outcome === undefined) throw new Error('unexpected spawn');
    log.push('spawn');
    if ('code' in outcome) {
      const none: SpawnedProcess = { pid: undefined, stdin: null, stdout: null, stderr: null, once: () => none };
      return { process: none, startFailure: Promise.resolve(outcome) } satisfies Spawned;
    }
    const child = Object.assign(new EventEmitter(), { pid: outcome.pid, stdin: null, stdout: null, stderr: null });
    queueMicrotask(() => child.emit('spawn'));
    return { process: child as unknown as SpawnedProcess, startFailure: Promise.resolve(null) };
  };
}

function pod(spawner: PodDeps['spawner'], log: string[], exits: ExitInfo[]): Pod {
  return new Pod(spec, 0, {
    spawner,
    clock: systemClock,
    logger: silentLogger,
    configDir: '/',
    inheritedEnv: {},
    groups: {
      spawning: (podId) => log.push(`spawning ${podId.length}`),
      spawned: (_podId, pgid) => log.push(`spawned ${pgid}`),
      remove: (pgid) => log.push(`remove ${pgid}`),
    },
    openIO: () => ({ stdout: () => {}, stderr: () => {}, stdinDrained: () => {}, close: () => {} }),
    onState: () => {},
    onExit: (_pod, exit) => exits.push(exit),
  });
}

describe('Pod registration of its process group', () => {
  it('announces the pod before the spawn and its group before start() returns', () => {
    const log: string[] = [];
    const p = pod(scripted([{ pid: 4242 }], log), log, []);
    p.start();
    // Nothing asynchronous ran yet: the registry knew the group when the spawn call returned.
    expect(log).toEqual(['spawning 36', 'spawn', 'spawned 4242']);
  });

  it('a spawn that fails with EMFILE on a restart is that start failure, named with the limit', async () => {
    const log: string[] = [];
    const exits: ExitInfo[] = [];
    const emfile: StartFailure = { code: 'EMFILE', message: 'spawn w EMFILE', limit: { soft: 120, hard: 120 } };
    const p = pod(scripted([emfile, emfile], log), log, exits);
    p.start();
    await vi.waitFor(() => expect(exits).toHaveLength(1));
    p.scheduleRestart(0, exits[0]!);
    await vi.waitFor(() => expect(exits).toHaveLength(2));
    const failure = 'cannot start "w": too many open files (EMFILE), the orchestrator reached its limit of 120 open files (ulimit -n)';
    expect(exits).toEqual([
      { code: null, signal: null, startError: failure },
      { code: null, signal: null, startError: failure },
    ]);
    expect(log).toEqual(['spawning 36', 'spawn', 'spawned null', 'spawning 36', 'spawn', 'spawned null']);
  });
});

const phases: readonly PodPhase[] = ['pending', 'starting', 'running', 'stopping', 'backoff', 'succeeded', 'failed', 'stopped'];

describe('Pod lifecycle table', () => {
  const pairs = phases.flatMap((from) => phases.map((to) => [from, to] as const));
  const illegal = pairs.filter(([from, to]) => !canTransition(from, to));

  it('has exactly 18 edges; the other 46 of the 64 phase pairs are illegal', () => {
    expect(pairs.length - illegal.length).toBe(18);
    expect(illegal).toHaveLength(46);
  });

  it.each(illegal)('%s -> %s throws PodStateError ILLEGAL_TRANSITION', (from, to) => {
    let thrown: unknown;
    try {
      assertTransition('w-0', from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PodStateError);
    expect(thrown).toMatchObject({ code: 'ILLEGAL_TRANSITION', pod: 'w-0', from, to, message: `pod w-0: illegal transition ${from} -> ${to}` });
  });

  it('a legal edge does not throw', () => {
    for (const [from, to] of pairs.filter(([f, t]) => canTransition(f, t))) expect(() => assertTransition('w-0', from, to)).not.toThrow();
  });

  it('a Pod refuses an illegal edge through its API and keeps its state', () => {
    const { pod: p, states } = fakePod(load('[tasks.w]\ncommand = ["w"]\n').tasks[0]!);
    expect(() => p.complete({ code: 0, signal: null, startError: null }, true)).toThrow(PodStateError);
    expect(p.state.phase).toBe('pending');
    expect(states).toEqual([]);
  });
});

/** A Pod on fakes: a FakeSpawner, FakeProcessGroups and the virtual clock; records what it reports. */
function fakePod(podSpec: TaskSpec) {
  const clock = new VirtualClock(10_000);
  const spawner = new FakeSpawner({ firstPid: 4242 });
  const processGroups = new FakeProcessGroups();
  const log: string[] = [];
  const states: PodPhase[] = [];
  const exits: Array<{ exit: ExitInfo; ranMs: number }> = [];
  const p = new Pod(podSpec, 0, {
    spawner: spawner.spawn,
    clock,
    logger: silentLogger,
    configDir: '/',
    inheritedEnv: {},
    processGroups,
    groups: { spawning: () => {}, spawned: () => {}, remove: (pgid) => log.push(`remove ${pgid}`) },
    openIO: () => ({
      stdout: (chunk) => log.push(`stdout ${chunk.toString()}`),
      stderr: (chunk) => log.push(`stderr ${chunk.toString()}`),
      stdinDrained: () => {},
      close: () => log.push('io closed'),
    }),
    onState: (pod) => states.push(pod.state.phase),
    onExit: (_pod, exit, ranMs) => {
      log.push('exit reported');
      exits.push({ exit, ranMs });
    },
  });
  return { pod: p, clock, spawner, processGroups, log, states, exits };
}

/** Lets stream events (nextTick) and promise chains run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Pod on fakes', () => {
  const stoppable = load('[tasks.w]\ncommand = ["w"]\nstop_signal = "SIGINT"\ngrace_period = "3s"\n').tasks[0]!;

  it('stop() while starting signals once the process exists, escalates to SIGKILL after grace_period, and ends stopped', async () => {
    const { pod: p, clock, spawner, processGroups, states, exits } = fakePod(stoppable);
    p.start();
    expect(p.state.phase).toBe('starting');
    let stopped = false;
    const stopping = p.stop().then(() => (stopped = true));
    await flush();
    // Nothing to signal before the process exists.
    expect(processGroups.signals).toEqual([]);
    expect(p.state.phase).toBe('starting');

    spawner.last.spawn();
    expect(processGroups.signals).toEqual([{ pgid: 4242, signal: 'SIGINT' }]);
    expect(p.state.phase).toBe('stopping');

    clock.advance(2_999);
    expect(processGroups.signals).toHaveLength(1);
    clock.advance(1);
    expect(processGroups.signals).toEqual([
      { pgid: 4242, signal: 'SIGINT' },
      { pgid: 4242, signal: 'SIGKILL' },
    ]);

    spawner.last.die('SIGKILL');
    await stopping;
    expect(stopped).toBe(true);
    expect(p.state).toEqual({ phase: 'stopped', exit: { code: null, signal: 'SIGKILL', startError: null } });
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped']);
    // Stopped by us: not an exit for the controller to decide on, and never restarted.
    expect(exits).toEqual([]);
    expect(p.restarts).toBe(0);
    expect(spawner.count).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('signal() reaches a running pod\'s group without stopping it (its exit is an ordinary one), and nothing else', async () => {
    const { pod: p, spawner, processGroups, exits } = fakePod(stoppable);
    expect(p.signal('SIGTERM')).toBe(false);
    p.start();
    expect(p.signal('SIGTERM')).toBe(false); // starting: no process yet
    spawner.last.spawn();
    expect(p.signal('SIGTERM')).toBe(true);
    expect(processGroups.signals).toEqual([{ pgid: 4242, signal: 'SIGTERM' }]);
    expect(p.state.phase).toBe('running');
    spawner.last.die('SIGTERM');
    await flush();
    await flush();
    expect(exits.map((e) => e.exit)).toEqual([{ code: null, signal: 'SIGTERM', startError: null }]);
  });

  it('each start builds the env once: pod.env is the env the spawner got, with that run\'s pod id', async () => {
    const { pod: p, clock, spawner, exits } = fakePod(stoppable);
    expect(p.env).toBeNull();
    p.start();
    expect(p.env).toBe(spawner.requests[0]!.env);
    const first = p.state.phase === 'starting' ? p.state.podId : '';
    expect(p.env?.ORCHESTRATOR_POD_ID).toBe(first);
    spawner.last.spawn();
    spawner.last.exit(3);
    spawner.last.close();
    await flush();
    await flush();
    expect(exits).toHaveLength(1);

    p.scheduleRestart(0, exits[0]!.exit);
    clock.advance(0);
    expect(spawner.requests).toHaveLength(2);
    expect(p.env).toBe(spawner.requests[1]!.env);
    expect(p.env?.ORCHESTRATOR_POD_ID).not.toBe(first);
    expect(p.env?.ORCHESTRATOR_POD).toBe('w-0');
  });

  it('a crash is reported once, after the output read so far and after stdio closed', async () => {
    const { pod: p, clock, spawner, processGroups, log, states, exits } = fakePod(stoppable);
    p.start();
    const child = spawner.last;
    child.spawn();
    child.stdout.write('last words\n');
    await flush();
    clock.advance(1_500);
    child.exit(3);
    await flush();
    // The leader is gone: the rest of its group goes with it; the exit waits for stdio.
    expect(processGroups.signals).toEqual([{ pgid: 4242, signal: 'SIGKILL' }]);
    expect(exits).toEqual([]);
    expect(p.state.phase).toBe('running');

    child.close();
    await flush();
    expect(log).toEqual(['stdout last words\n', 'io closed', 'remove 4242', 'exit reported']);
    expect(exits).toEqual([{ exit: { code: 3, signal: null, startError: null }, ranMs: 1_500 }]);
    expect(states).toEqual(['starting', 'running']);
    expect(p.lastExit).toEqual({ code: 3, signal: null, startError: null });
  });

  it('an exit whose stdio never closes is reported after the stdio timeout', async () => {
    const { pod: p, clock, spawner, log, exits } = fakePod(stoppable);
    p.start();
    spawner.last.spawn();
    spawner.last.exit(1);
    await flush();
    clock.advance(1_999);
    await flush();
    expect(exits).toEqual([]);
    clock.advance(1);
    await flush();
    expect(spawner.last.stdout.destroyed).toBe(true);
    expect(log).toEqual(['io closed', 'remove 4242', 'exit reported']);
    // The run's length is taken when the exit is reported, so it includes the wait for stdio.
    expect(exits).toEqual([{ exit: { code: 1, signal: null, startError: null }, ranMs: 2_000 }]);
    expect(p.state.phase).toBe('running');
  });

  it('waits for every process of the group before reporting the exit', async () => {
    const { pod: p, clock, spawner, processGroups, log, exits } = fakePod(stoppable);
    processGroups.hold(4242);
    p.start();
    spawner.last.spawn();
    spawner.last.crash(0);
    await flush();
    await clock.advanceAsync(200);
    expect(exits).toEqual([]);
    processGroups.release(4242);
    await clock.advanceAsync(20);
    expect(log).toEqual(['io closed', 'remove 4242', 'exit reported']);
    expect(exits).toHaveLength(1);
  });
});
