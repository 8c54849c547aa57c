import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fx, runCli, tempDir, writeConfig } from './harness.js';

const seq = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${from + i}`);

/** Every recorder log in `dir` as pod name → list of runs (each the data lines received). */
function recordings(dir: string): Map<string, string[][]> {
  const byPod = new Map<string, string[][]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.log')).sort()) {
    const pod = file.split('.')[0]!;
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
    byPod.set(pod, [...(byPod.get(pod) ?? []), lines]);
  }
  return byPod;
}

describe('broadcast fan-out', () => {
  it('gives every replica of every subscribing task each of 1,000 messages, in order', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nsubscribe = ["system.pods"]\nenv = { TOPIC = "events", COUNT = "1000", WAIT_FOR_PODS = "5", WAIT_TASKS = "audit,mirror" }\n\n` +
        `[defaults]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "1000" }\n\n` +
        `[tasks.audit]\ncommand = ["node", ${fx('record-messages.mjs')}]\nreplicas = 2\nsubscribe = ["events"]\n\n` +
        `[tasks.mirror]\ncommand = ["node", ${fx('record-messages.mjs')}]\nreplicas = 3\nsubscribe = ["events"]\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/\| recorded 1000$/, 5);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    const recorded = recordings(dir);
    expect([...recorded.keys()].sort()).toEqual(['audit-0', 'audit-1', 'mirror-0', 'mirror-1', 'mirror-2']);
    for (const [, runs] of recorded) expect(runs).toEqual([seq('msg', 1, 1000)]);
  });
});

describe('round robin', () => {
  it('acknowledges each of 1,000 jobs exactly once, uses every replica, never exceeds concurrency', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "1000", PREFIX = "job" }\n\n` +
        `[tasks.worker]\ncommand = ["node", ${fx('echo-worker.mjs')}]\nreplicas = 3\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "json"\nconcurrency = 2\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs.result"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "1000" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/collector-0 +\| recorded 1000$/);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    const results = recordings(dir).get('collector-0')![0]!.map((line) => line.split(' '));
    expect(results.map((r) => r[0]).sort()).toEqual(seq('job', 1, 1000).sort());
    const perPod = new Map<string, number>();
    for (const [, pod, , attempt, held] of results) {
      perPod.set(pod!, (perPod.get(pod!) ?? 0) + 1);
      expect(attempt).toBe('attempt=1');
      expect(Number(held!.slice('held='.length))).toBeLessThanOrEqual(2);
    }
    expect([...perPod.keys()].sort()).toEqual(['worker-0', 'worker-1', 'worker-2']);
    expect([...perPod.values()].reduce((a, b) => a + b)).toBe(1000);
  });
});

describe('redelivery', () => {
  it('hands the job of a worker that SIGKILLs itself to another pod; nothing is lost', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "100", PREFIX = "job" }\n\n` +
        `[tasks.worker]\ncommand = ["node", ${fx('echo-worker.mjs')}]\nreplicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "json"\nenv = { KILL_ON = "job-50", WORK_MS = "1" }\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs.result"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "100" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/collector-0 +\| recorded 100$/);
    run.signal('SIGINT');
    await run.exit();
    const results = recordings(dir).get('collector-0')![0]!.map((line) => line.split(' '));
    expect(results.map((r) => r[0]).sort()).toEqual(seq('job', 1, 100).sort());
    const killed = run.matching(/worker-\d: killed by SIGKILL; restarting now/);
    expect(killed).toHaveLength(1);
    const [job50] = results.filter((r) => r[0] === 'job-50');
    expect(job50![3]).toBe('attempt=2');
  });

  it('dead-letters a job that kills every pod after max_deliveries attempts', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "20", PREFIX = "job" }\n\n` +
        `[tasks.worker]\ncommand = ["node", ${fx('echo-worker.mjs')}]\nreplicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "json"\nmax_deliveries = 3\n` +
        `env = { KILL_ON = "job-7", KILL_MODE = "always" }\nbackoff = { base = "10ms", max = "20ms" }\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs.result", "jobs.dead"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "20" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/collector-0 +\| recorded 20$/);
    await run.waitFor(/dead-lettered to "jobs.dead" after 3 deliveries/);
    run.signal('SIGINT');
    await run.exit();
    const lines = recordings(dir).get('collector-0')![0]!;
    expect(lines.filter((l) => l === 'job-7')).toEqual(['job-7']);
    expect(lines.filter((l) => l !== 'job-7').map((l) => l.split(' ')[0]).sort()).toEqual(seq('job', 1, 20).filter((j) => j !== 'job-7').sort());
    expect(run.matching(/worker-\d: killed by SIGKILL/)).toHaveLength(3);
  });
});

describe('a single-replica subscriber restarted mid-stream', () => {
  it('receives everything published while it was down', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nsubscribe = ["system.pods"]\n` +
        `env = { TOPIC = "feed", COUNT = "300", WAIT_FOR_PODS = "1", WAIT_TASKS = "sub", AFTER_EXIT_OF = "sub-0" }\n\n` +
        `[tasks.sub]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["feed"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, CRASH_AFTER = "300", EXPECT = "300" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/sub-0 +\| recorded 300$/);
    run.signal('SIGINT');
    await run.exit();
    // First run: 1..300, then it crashed; the second batch was published after the crash.
    const runs = recordings(dir).get('sub-0')!.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '', 'en', { numeric: true }));
    expect(runs).toEqual([seq('msg', 1, 300), seq('msg', 301, 600)]);
  });
});
