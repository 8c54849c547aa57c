import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/control/target.js';
import { json, verb } from './control-harness.js';
import { fx, runCli, splitLine, tempDir, writeConfig } from './harness.js';

const pool = (replicas: number, fixture = 'reply-per-line.sh', extra = '') =>
  `[tasks.worker]\ncommand = [${fixture.endsWith('.mjs') ? '"node", ' : ''}${fx(fixture)}]\nreplicas = ${replicas}\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "${fixture.endsWith('.sh') ? 'payload' : 'framed'}"\n${extra}\n`;

const texts = (lines: readonly string[], pod: string): string[] =>
  lines.map((l) => splitLine(l)).filter((l) => l !== null && l.name === pod).map((l) => l!.text);

describe('replies to the requester (receive_replies)', () => {
  it('4 requester replicas × 250 requests to a round-robin pool of 3: each gets exactly its own 250', async () => {
    const file = writeConfig(
      pool(3) +
        `[tasks.web]\ncommand = ["node", ${fx('requester.mjs')}]\nreplicas = 4\nstdin = "json"\nreceive_replies = true\nenv = { N = "250" }\n`,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const done = await run.waitFor(/web-\d +\| got 250 /, 4, 60_000);
    const tasks = await json<{ tasks: TaskInfo[] }>(['tasks'], file);
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    expect(done.map((l) => splitLine(l)!.text)).toEqual(Array.from({ length: 4 }, () => 'got 250 own 250 foreign 0 duplicate 0'));
    expect(run.matching(/\| extra /)).toEqual([]);
    const byName = Object.fromEntries(tasks.tasks.map((t) => [t.name, t]));
    expect([byName['worker']?.delivered, byName['worker']?.queued, byName['worker']?.inFlight, byName['web']?.dropped]).toEqual([1000, 0, 0, 0]);
  }, 120_000);

  it('replies that arrive while the requester restarts are dropped and counted, never given to its next run', async () => {
    const dir = tempDir();
    const file = writeConfig(
      pool(1, 'hold-until-release.mjs', 'concurrency = 10\n') +
        `[tasks.web]\ncommand = ["node", ${fx('requester.mjs')}]\nstdin = "json"\nreceive_replies = true\nbackoff = { base = "10ms" }\n` +
        `env = { N = "5", EXIT_AFTER_SEND = "1", MARKER = ${JSON.stringify(join(dir, 'marker'))} }\n`,
      dir,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    await run.waitFor(/worker-0 +\| holding 5$/);
    await run.waitFor(/web-0 +\| restarted$/);
    expect((await verb(['publish', 'release', 'go', '-f', file])).code).toBe(0);
    await run.waitFor(/worker-0 +\| released 5$/);
    await run.waitFor(/web: dropped 5 messages \(replies to a requester that is gone/);
    const web = (await json<{ tasks: TaskInfo[] }>(['tasks'], file)).tasks.find((t) => t.name === 'web');
    run.signal('SIGINT');
    expect((await run.exit()).code).toBe(130);
    expect(texts(run.lines, 'web-0').filter((t) => t.startsWith('unexpected'))).toEqual([]);
    expect([web?.dropped, web?.discarded['requester-gone']]).toEqual([5, 5]);
  }, 120_000);
});

describe('orchestrator request', () => {
  const file = () =>
    writeConfig(pool(2) + `[tasks.sink]\ncommand = ["node", ${fx('hold-until-release.mjs')}]\nsubscribe = ["hold"]\nmode = "round_robin"\n`);

  it('prints the reply (exit 0), times out with exit 1, and fails at once when no task subscribes', async () => {
    const config = file();
    const run = runCli(['run', config, '--no-timestamps']);
    await run.waitFor(/sink-0 started/);
    await run.waitFor(/worker-1 started/);
    const ok = await verb(['request', 'jobs', 'hello', '-f', config]);
    const asJson = await verb(['request', 'jobs', 'again', '-f', config, '-o', 'json']);
    const slow = await verb(['request', 'hold', 'x', '--timeout', '300ms', '-f', config]);
    const nobody = await verb(['request', 'nobody', 'x', '--timeout', '1h', '-f', config]);
    run.signal('SIGINT');
    await run.exit();
    expect([ok.code, ok.stdout]).toEqual([0, 'hello done']);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ topic: 'jobs.result', data: 'again done', from: expect.stringMatching(/^worker-[01]$/), inReplyTo: expect.any(String) });
    expect([slow.code, slow.stdout]).toEqual([1, '']);
    expect(slow.stderr).toMatch(/no reply on "hold\.result" within 300 ms/);
    expect([nobody.code, nobody.stdout]).toEqual([1, '']);
    expect(nobody.stderr).toMatch(/no responders: no task subscribes to "nobody"/);
  }, 120_000);
});

describe('system.latest and orchestrator latest', () => {
  it('present, empty and absent are told apart in all three stdin formats', async () => {
    const tasks = ['framed', 'json', 'payload'].map((f) => `[tasks.${f}]\ncommand = ["node", ${fx('latest-asker.mjs')}]\nsubscribe = ["ask"]\nstdin = "${f}"\n`).join('\n');
    const config = writeConfig(tasks);
    const run = runCli(['run', config, '--no-timestamps']);
    await run.waitFor(/payload-0 started/);
    for (const [topic, data] of [['cfg.present', 'v1'], ['cfg.empty', ''], ['ask', 'go']] as const) {
      expect((await verb(['publish', topic, data, '-f', config])).code).toBe(0);
    }
    await run.waitFor(/framed-0 +\| in /, 10);
    await run.waitFor(/json-0 +\| in /, 4);
    await run.waitFor(/payload-0 +\| in /, 4);
    const present = await verb(['latest', 'cfg.present', '-f', config]);
    const empty = await verb(['latest', 'cfg.empty', '-f', config]);
    const absent = await verb(['latest', 'cfg.absent', '-f', config]);
    const absentJson = await verb(['latest', 'cfg.absent', '-f', config, '-o', 'json']);
    // A title-setting escape sequence in the data reaches the terminal only in visible form.
    expect((await verb(['publish', 'cfg.escape', 'a\u001b]0;owned\u0007b', '-f', config])).code).toBe(0);
    const escaped = await verb(['latest', 'cfg.escape', '-f', config]);
    const escapedJson = await verb(['latest', 'cfg.escape', '-f', config, '-o', 'json']);
    run.signal('SIGINT');
    await run.exit();
    const seen = (pod: string) => texts(run.lines, pod).map((t) => JSON.parse(t.slice(3)) as string);
    expect(seen('framed-0')).toEqual(['ask', '1', 'go', 'cfg.present', '1', 'v1', 'cfg.empty', '0', 'cfg.absent', '-1']);
    expect(seen('json-0').map((l) => l.replace(/"id":"[^"]*",/, ''))).toEqual([
      '{"topic":"ask","data":"go","attempt":1}',
      '{"topic":"cfg.present","data":"v1","attempt":1}',
      '{"topic":"cfg.empty","data":"","attempt":1}',
      '{"topic":"cfg.absent","data":null}',
    ]);
    expect(seen('payload-0')).toEqual(['go', '"v1"', '""', 'null']);
    expect([present.code, present.stdout]).toEqual([0, 'v1']);
    expect([empty.code, empty.stdout]).toEqual([0, '']);
    expect([absent.code, absent.stdout]).toEqual([1, '']);
    expect(absent.stderr).toMatch(/no message retained for "cfg.absent"/);
    expect([absentJson.code, absentJson.stdout]).toEqual([1, 'null']);
    expect([escaped.code, escaped.stdout]).toEqual([0, 'a\\e]0;owned\\ab']);
    expect(JSON.parse(escapedJson.stdout)).toMatchObject({ topic: 'cfg.escape', data: 'a\u001b]0;owned\u0007b' });
  }, 120_000);
});

describe('stdout_topic / stderr_topic', () => {
  it('publishes a task\'s plain output lines on the topics it names, not on <task>.stdout / <task>.stderr', async () => {
    const config = writeConfig(
      `[tasks.both]\ncommand = [${fx('print-both-streams.sh')}, "0"]\nstdout_topic = "logs.out"\nstderr_topic = "logs.err"\nrestart = "never"\ndepends_on = { rec = "started" }\n\n` +
        `[tasks.rec]\ncommand = ["node", ${fx('print-messages.mjs')}]\nsubscribe = ["logs.*", "both.*", "done"]\n`,
    );
    const run = runCli(['run', config, '--no-timestamps']);
    await run.waitFor(/rec-0 +\| /, 2);
    // Everything the job printed was published before this, and rec reads in order: "done" comes last.
    expect((await verb(['publish', 'done', 'x', '-f', config])).code).toBe(0);
    await run.waitFor(/rec-0 +\| done "x"$/);
    run.signal('SIGINT');
    await run.exit();
    expect(run.matching(/rec-0 +\| /).map((l) => splitLine(l)!.text).slice(0, 2).sort()).toEqual(['logs.err "to stderr"', 'logs.out "to stdout"']);
    expect(run.matching(/rec-0 +\| /)).toHaveLength(3);
  }, 120_000);
});
