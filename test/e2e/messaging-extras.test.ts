import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TopicInfo } from '../../src/control/api-types.js';
import { apiGet } from './control-harness.js';
import { fx, runCli, splitLine, tempDir, writeConfig } from './harness.js';


function runsOf(dir: string, pod: string): string[][] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${pod}.`) && f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l !== ''));
}

describe('log lines as messages', () => {
  it('publishes a task\'s stdout lines on "<task>.stdout" for subscribers', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.ticker]\ncommand = [${fx('ticker.sh')}]\n\n` +
        `[tasks.tail]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["ticker.stdout"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "5" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/tail-0 +\| recorded 5$/);
    run.signal('SIGINT');
    await run.exit();
    expect(runsOf(dir, 'tail-0')[0]!.slice(0, 5)).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
  });
});

describe('system commands', () => {
  it('subscribes a pod at run time with "system.subscribe" (wildcards included)', async () => {
    const file = writeConfig(
      `[tasks.sub]\ncommand = ["node", ${fx('dynamic-subscriber.mjs')}]\n\n` +
        `[tasks.pub]\ncommand = ["node", ${fx('on-ready-publish.mjs')}]\nsubscribe = ["sub.ready"]\n`,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const got = (await run.waitFor(/sub-0 +\| got /, 2)).map((l) => splitLine(l)!.text);
    // The topics view lists the pod's own subscription next to the tasks' (GET /v1/topics).
    const { topics } = await apiGet<{ topics: TopicInfo[] }>(file, '/v1/topics');
    run.signal('SIGINT');
    await run.exit();
    expect(got).toEqual(['got dyn.a one', 'got dyn.b.c two']);
    expect(run.matching(/got other/)).toEqual([]);
    const subscribers = Object.fromEntries(topics.map((t) => [t.topic, t.subscribers]));
    expect(subscribers['dyn.a']).toEqual([{ task: 'sub', mode: 'pod', pattern: 'dyn.>', pod: 'sub-0' }]);
    expect(subscribers['dyn.b.c']).toEqual([{ task: 'sub', mode: 'pod', pattern: 'dyn.>', pod: 'sub-0' }]);
    expect(subscribers['sub.ready']).toEqual([{ task: 'pub', mode: 'broadcast', pattern: 'sub.ready' }]);
  });
});

describe('limits', () => {
  it('discards a message over max_message_size, names the pod, and keeps it running', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.big]\ncommand = ["node", ${fx('big-line.mjs')}]\n\n` +
        `[tasks.rec]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["big", "small"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "1" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/big-0 +\| after big line$/);
    await run.waitFor(/rec-0 +\| recorded 1$/);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    expect(run.matching(/big-0: message on "big" of 2097159 bytes exceeds max_message_size \(1048576\); discarded/)).toHaveLength(1);
    expect(run.matching(/big-0: exited|big-0: killed/)).toEqual([]);
    expect(runsOf(dir, 'rec-0')).toEqual([['fine']]);
  });
});

describe('replay_latest', () => {
  it('gives a restarted pod the retained latest message of its topics', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.config]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "settings", COUNT = "3", PREFIX = "v" }\n\n` +
        `[tasks.reader]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["settings"]\nreplay_latest = true\n` +
        `env = { RECORD_DIR = ${JSON.stringify(dir)}, CRASH_AFTER = "3", EXPECT = "1" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/reader-0: exited with code 1; restarting now/);
    // EXPECT = 1: each run prints "recorded 1" after its first message.
    await run.waitFor(/reader-0 +\| recorded 1$/, 2);
    run.signal('SIGINT');
    await run.exit();
    const runs = runsOf(dir, 'reader-0').sort((a, b) => b.length - a.length);
    expect(runs).toEqual([['v-1', 'v-2', 'v-3'], ['v-3']]);
  });
});

describe('ack_timeout', () => {
  it('restarts a pod that holds a job too long and redelivers the job', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.producer]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nenv = { TOPIC = "jobs", COUNT = "10", PREFIX = "job" }\n\n` +
        `[tasks.worker]\ncommand = ["node", ${fx('echo-worker.mjs')}]\nreplicas = 2\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "json"\n` +
        `ack_timeout = "500ms"\nenv = { HANG_ON = "job-3" }\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["jobs.result"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "10" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/collector-0 +\| recorded 10$/);
    run.signal('SIGINT');
    await run.exit();
    expect(run.matching(/worker-\d did not acknowledge "jobs" within ack_timeout/)).toHaveLength(1);
    const results = runsOf(dir, 'collector-0')[0]!.map((l) => l.split(' '));
    expect(results.map((r) => r[0]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i + 1}`).sort());
    expect(results.find((r) => r[0] === 'job-3')![3]).toBe('attempt=2');
  });
});
