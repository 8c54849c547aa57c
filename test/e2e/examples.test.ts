import { copyFileSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fx, ROOT, runCli, splitLine, tempDir, writeConfig } from './harness.js';

const ex = (name: string): string => JSON.stringify(join(ROOT, 'examples', name));

describe('the demo tasks.toml', () => {
  it('runs a producer, a round-robin Python pool and a broadcast logger', async () => {
    // A copy beside a link to examples/, so a developer's own `npm start` does not collide with it.
    const dir = tempDir();
    copyFileSync(join(ROOT, 'tasks.toml'), join(dir, 'tasks.toml'));
    symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'));
    const run = runCli(['run', 'tasks.toml', '--no-timestamps'], { cwd: dir });
    const lines = (await run.waitFor(/logger-0 +\| #\d+ jobs\.result: build-\d+ done by worker-\d$/, 4)).slice(0, 4).map((l) => splitLine(l)!.text);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    const builds = lines.map((l) => /build-(\d+)/.exec(l)![1]);
    expect(new Set(builds).size).toBe(builds.length);
    expect(lines.map((l) => /#(\d+)/.exec(l)![1])).toEqual(['1', '2', '3', '4']);
    expect(new Set(lines.map((l) => /worker-\d/.exec(l)![0])).size).toBeGreaterThanOrEqual(2);
    // show_stdout = false: the workers' own lines stay off the terminal.
    expect(run.matching(/^worker-\d +\| /)).toEqual([]);
  });
});

describe('examples', () => {
  it('a Node worker (typed client), a shell payload stage and a fan-out logger work together', async () => {
    const dir = tempDir();
    const file = writeConfig(
      `[tasks.words]\ncommand = ["node", ${fx('publish-seq.mjs')}]\nsubscribe = ["system.pods"]\n` +
          `env = { TOPIC = "words", COUNT = "10", PREFIX = "abc", WAIT_FOR_PODS = "5", WAIT_TASKS = "reverser,shout,logger,collector" }\n\n` +
        `[tasks.reverser]\ncommand = ["node", ${ex('node-worker.mjs')}]\nreplicas = 2\nsubscribe = ["words"]\nmode = "round_robin"\n\n` +
        `[tasks.shout]\ncommand = [${ex('shout.sh')}]\nsubscribe = ["words"]\nstdin = "payload"\n\n` +
        `[tasks.logger]\ncommand = ["node", ${ex('fanout-logger.mjs')}]\nsubscribe = ["shouts"]\n\n` +
        `[tasks.collector]\ncommand = ["node", ${fx('record-messages.mjs')}]\nsubscribe = ["words.result"]\nenv = { RECORD_DIR = ${JSON.stringify(dir)}, EXPECT = "10" }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps'], { cwd: ROOT });
    await run.waitFor(/collector-0 +\| recorded 10$/);
    const shouts = (await run.waitFor(/logger-0 +\| #\d+ shouts: /, 10)).map((l) => splitLine(l)!.text);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    expect(shouts).toEqual(Array.from({ length: 10 }, (_, i) => `#${i + 1} shouts: ABC-${i + 1}`));
    const log = readdirSync(dir).find((f) => f.startsWith('collector-0.'))!;
    const results = readFileSync(join(dir, log), 'utf8').trim().split('\n').sort();
    const expected = Array.from({ length: 10 }, (_, i) => `abc-${i + 1} -> ${`abc-${i + 1}`.split('').reverse().join('')}`);
    expect(results.map((r) => r.replace(/ \(reverser-\d\)$/, '')).sort()).toEqual(expected.sort());
    expect(new Set(results.map((r) => /\((reverser-\d)\)$/.exec(r)![1])).size).toBe(2);
  });
});
