import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Orchestrator } from './orchestrator.js';
import { loadConfig } from '../config/index.js';
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
function setup(text: string, config = load(text)) {
  const clock = new VirtualClock(1_000_000);
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
  return { orchestrator, clock, spawner, processGroups, log, taskOf };
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
      const h = setup('', loadConfig(file, { env: {} }));
      await h.orchestrator.start();
      await flush();
      writeFileSync(file, '[tasks.a]\ncommand = ["a"]\nreplica = 2\n\n[tasks.b]\nreplicas = 1\n');
      const result = h.orchestrator.reload('test');
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
});
