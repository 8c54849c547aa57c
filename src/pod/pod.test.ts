import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { load } from '../config/load-from-memory.case.js';
import type { ExitInfo } from './exit.js';
import { systemClock } from '../util/clock.js';
import { silentLogger } from '../util/logger.js';
import { Pod, type PodDeps } from './pod.js';
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
