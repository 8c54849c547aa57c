import { describe, expect, it } from 'vitest';
import { load } from '../config/load-from-memory.case.js';
import { Pod } from '../pod/pod.js';
import { FakeProcessGroups } from '../testing/fake-process-groups.js';
import { FakeSpawner } from '../testing/fake-spawner.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { silentLogger } from '../util/logger.js';
import { restartDelay } from './backoff.js';
import { ReplicaSetController, type PodEvent, type PodFactory } from './replica-set.js';

/** Lets stream events (nextTick) and every pending promise chain run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A ReplicaSetController whose pods are real Pods on fakes: children spawn a microtask after the
 * spawn call, die as soon as their group is signalled, and a pod counts as ready when the test
 * says so (or at once while `autoReady`).
 */
function setup(text: string, replaceExited?: (pod: Pod) => boolean) {
  const spec = load(text).tasks[0]!;
  const clock = new VirtualClock(100_000);
  const spawner = new FakeSpawner({ autoSpawn: true });
  const groups = new FakeProcessGroups();
  groups.onSignal = (pgid, signal) => {
    const child = spawner.byPid(pgid);
    if (child !== undefined) queueMicrotask(() => child.die(signal));
  };
  const spawnedAt: number[] = [];
  const events: PodEvent[] = [];
  let maxAlive = 0;
  const state = { autoReady: true };
  const aliveProcesses = (): number => spawner.children.filter((c) => !c.hasExited).length;
  const createPod: PodFactory = (podSpec, index, hooks) =>
    new Pod(podSpec, index, {
      spawner: (request) => {
        spawnedAt.push(clock.now());
        const spawned = spawner.spawn(request);
        maxAlive = Math.max(maxAlive, aliveProcesses());
        return spawned;
      },
      clock,
      logger: silentLogger,
      configDir: '/',
      inheritedEnv: {},
      processGroups: groups,
      groups: { spawning: () => {}, spawned: () => {}, remove: () => {} },
      openIO: () => ({ stdout: () => {}, stderr: () => {}, stdinDrained: () => {}, close: () => {} }),
      onState: (pod) => controller.observe(pod, state.autoReady && pod.state.phase === 'running'),
      onExit: hooks.onExit,
    });
  const controller = new ReplicaSetController(spec, { createPod, emit: (e) => events.push(e), clock, inFlight: () => 0, drain: () => Promise.resolve(), ...(replaceExited === undefined ? {} : { replaceExited }) });
  return { spec, clock, spawner, groups, controller, events, spawnedAt, state, maxAlive: () => maxAlive, aliveProcesses };
}

const names = (pods: readonly Pod[]): string[] => pods.map((p) => `${p.name}:${p.state.phase}`);

describe('ReplicaSetController rollouts', () => {
  it('a rollout started before the previous one has a ready replacement supersedes it and replaces every pod', async () => {
    const h = setup('[tasks.w]\ncommand = ["w"]\nreplicas = 3\n');
    h.controller.reconcile();
    await flush();
    expect(names(h.controller.list())).toEqual(['w-0:running', 'w-1:running', 'w-2:running']);
    const originals = h.controller.list();

    h.state.autoReady = false;
    const a = h.controller.rollout(h.spec, 'all');
    await flush();
    // A's first replacement runs but is not ready yet.
    expect(h.spawner.count).toBe(4);
    expect(names(h.controller.list())).toEqual(['w-0:running', 'w-1:running', 'w-2:running', 'w-3:running']);

    h.state.autoReady = true;
    const b = h.controller.rollout(h.spec, 'all');
    expect(await a).toEqual({ type: 'superseded', replaced: [] });
    expect(await b).toEqual({ type: 'completed', replaced: ['w-0', 'w-1', 'w-2'] });
    await flush();

    // A's replacement was removed; B replaced the three originals one at a time.
    expect(h.controller.list()).toHaveLength(3);
    for (const pod of originals) expect(pod.state.phase).toBe('stopped');
    expect(h.controller.list().every((p) => !originals.includes(p) && p.state.phase === 'running')).toBe(true);
    expect(h.spawner.count).toBe(3 + 1 + 3);
    expect(h.aliveProcesses()).toBe(3);
    // One surge pod at a time: A's unready replacement is gone before B starts its first one.
    expect(h.maxAlive()).toBe(4);
  });
});

describe('ReplicaSetController restarts', () => {
  const crashing = '[tasks.w]\ncommand = ["w"]\nrestart = "always"\nbackoff = { base = "1s", max = "30s" }\n';

  it('scale(0) while the pod waits in backoff: nothing is spawned later and the promise resolves', async () => {
    const h = setup(crashing);
    h.controller.reconcile();
    await flush();
    h.spawner.last.crash(1); // 1st failure: restarted at once
    await flush();
    h.clock.advance(0);
    await flush();
    h.spawner.last.crash(1); // 2nd failure: waits base = 1 s
    await flush();
    const pod = h.controller.list()[0]!;
    expect(pod.state).toMatchObject({ phase: 'backoff', delayMs: 1000 });
    const spawns = h.spawner.count;

    let resolved = false;
    const scaled = h.controller.scale(0).then(() => (resolved = true));
    await flush();
    h.clock.advance(10_000);
    await flush();
    await scaled;
    expect(resolved).toBe(true);
    expect(h.spawner.count).toBe(spawns);
    expect(pod.state.phase).toBe('stopped');
    expect(h.controller.list()).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });

  it('4 crashes in a row respawn at exactly the offsets restartDelay returns', async () => {
    const h = setup(crashing);
    h.controller.reconcile();
    await flush();
    const crashedAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      crashedAt.push(h.clock.now());
      h.spawner.last.crash(1);
      await flush();
      h.clock.advance(10_000);
      await flush();
    }
    const expected = [1, 2, 3, 4].map((failures) => restartDelay(h.spec.backoff, failures));
    expect(expected).toEqual([0, 1000, 2000, 4000]);
    expect(h.spawnedAt.slice(1).map((at, i) => at - crashedAt[i]!)).toEqual(expected);
    expect(h.events.map((e) => e.restartInMs)).toEqual(expected);
    expect(h.controller.list()[0]!.restarts).toBe(4);
  });
});

describe('ReplicaSetController for an autoscaled pool', () => {
  const pool = '[tasks.w]\ncommand = ["w"]\nsubscribe = ["jobs"]\nmode = "round_robin"\nautoscale = { max = 4 }\n';

  it('shrink retires exactly the pods named and lowers the count by as many', async () => {
    const h = setup(pool);
    await h.controller.scale(3);
    await flush();
    const [w0, w1, w2] = h.controller.list();
    await h.controller.shrink([w1!]);
    expect(h.controller.replicas).toBe(2);
    expect(h.controller.list()).toEqual([w0, w2]);
    expect(w1!.state.phase).toBe('stopped');
  });

  it('a crashed pod is removed, not restarted, when replaceExited says there is no work', async () => {
    let work = true;
    const h = setup(pool, () => work);
    await h.controller.scale(2);
    await flush();
    h.spawner.children[0]!.crash(1);
    await flush();
    h.clock.advance(0);
    await flush();
    // With work: restarted in its slot (immediate first restart).
    expect(h.spawner.count).toBe(3);
    work = false;
    h.spawner.last.crash(1);
    await flush();
    h.clock.advance(60_000);
    await flush();
    expect(h.spawner.count).toBe(3);
    expect(h.controller.replicas).toBe(1);
    expect(h.controller.list().map((p) => p.name)).toEqual(['w-1']);
    expect(h.events.map((e) => e.restartInMs)).toEqual([0, null]);
  });
});
