import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fx, ROOT, runCli, writeConfig, type CliRun } from './harness.js';

const EXAMPLE = join(ROOT, 'examples', 'pipeline', 'pool.toml');
const PIPE = ['--stdin-topic', 'jobs', '--stdout-topic', 'jobs.result', '--no-timestamps'];

/** A pool of `replicas` pipeline-worker.mjs pods (payload, round_robin). */
const pool = (replicas: number, extra = 'concurrency = 8\n') =>
  writeConfig(`[tasks.worker]\ncommand = ["node", ${fx('pipeline-worker.mjs')}]\nreplicas = ${replicas}\nsubscribe = ["jobs"]\nmode = "round_robin"\nstdin = "payload"\n${extra}`);

const lines = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const serial = (line: string): string => `${line} ${createHash('sha256').update(line).digest('hex').slice(0, 16)}`;

/** Feeds `input` to the run's stdin and waits for its exit. */
async function pipeline(run: CliRun, input: string, ms = 120_000) {
  run.child.stdin!.end(input);
  return run.exit(ms);
}

describe('pipeline mode', () => {
  it('100,000 lines through the example pool of 4 Python workers: sorted results equal the serial run, logs on stderr', async () => {
    const input = lines(1, 100_000);
    const run = runCli(['run', EXAMPLE, ...PIPE, '--exit-on-complete']);
    const exit = await pipeline(run, `${input.join('\n')}\n`);
    expect(exit.code).toBe(0);
    const numeric = (a: string, b: string) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]);
    expect(run.lines.length).toBe(100_000);
    expect([...run.lines].sort(numeric)).toEqual(input.map(serial));
    expect(run.stderrLines.some((l) => /pipeline: 100000 lines read, 100000 results written, 0 failed/.test(l))).toBe(true);
  });

  it('--keep-order writes the results in input order', async () => {
    const input = lines(1, 20_000);
    const run = runCli(['run', pool(4), ...PIPE, '--keep-order', '--exit-on-complete']);
    const exit = await pipeline(run, `${input.join('\n')}\n`);
    expect(exit.code).toBe(0);
    expect(run.lines).toEqual(input.map((l) => `${l}!`));
  });

  it('a line whose message is dead-lettered is named on stderr, the others are all written, exit 1', async () => {
    const run = runCli(['run', pool(2, 'concurrency = 1\nmax_deliveries = 2\nbackoff = { base = "10ms" }\nenv = { FAIL_ON = "13" }\n'), ...PIPE, '--keep-order', '--exit-on-complete']);
    const exit = await pipeline(run, `${lines(1, 50).join('\n')}\n`);
    expect(exit.code).toBe(1);
    expect(run.lines).toEqual(lines(1, 50).filter((l) => l !== '13').map((l) => `${l}!`));
    expect(run.stderrLines.filter((l) => /line \d+ (dead-lettered|dropped|rejected)/.test(l))).toEqual([expect.stringMatching(/line 13 dead-lettered to "jobs.dead": "13"$/)]);
    expect(run.stderrLines.some((l) => /pipeline: 50 lines read, 49 results written, 1 failed/.test(l))).toBe(true);
    expect(run.stderrLines.at(-1)).toMatch(/run failed: 1 of 50 input lines got no result/);
  });

  it('an endless stdin stopped by Ctrl-C: exit 130, and every line read has its result', async () => {
    const run = runCli(['run', pool(3), ...PIPE, '--exit-on-complete']);
    const stdin = run.child.stdin!;
    let next = 1;
    let open = true;
    stdin.on('error', () => (open = false)); // the orchestrator closed its stdin: stop writing
    const feed = (): void => {
      while (open) {
        let chunk = '';
        for (let i = 0; i < 1000; i++) chunk += `${next++}\n`;
        if (!stdin.write(chunk)) {
          stdin.once('drain', feed);
          return;
        }
      }
    };
    feed();
    await run.waitFor(/!$/, 5000, 60_000);
    run.signal('SIGINT');
    const exit = await run.exit(60_000);
    open = false;
    expect(exit.code).toBe(130);
    const summary = run.stderrLines.map((l) => /pipeline: (\d+) lines read, (\d+) results written, 0 failed/.exec(l)).find((m) => m !== null);
    expect(summary).toBeDefined();
    const read = Number(summary![1]);
    expect(Number(summary![2])).toBe(read);
    expect(read).toBeGreaterThanOrEqual(5000);
    expect(read).toBeLessThan(next);
    expect([...run.lines].sort((a, b) => Number.parseInt(a) - Number.parseInt(b))).toEqual(lines(1, read).map((l) => `${l}!`));
  });

  it('refuses bad flags before starting anything', async () => {
    const keep = runCli(['run', pool(1), '--stdin-topic', 'jobs', '--stdout-topic', 'other', '--keep-order']);
    const half = runCli(['run', pool(1), '--stdin-topic', 'jobs']);
    const nobody = runCli(['run', pool(1), '--stdin-topic', 'nobody', '--stdout-topic', 'nobody.result']);
    const [k, h, n] = await Promise.all([keep.exit(), half.exit(), nobody.exit()]);
    expect([k.code, h.code, n.code]).toEqual([2, 2, 2]);
    expect(keep.stderrLines.join('\n')).toMatch(/--keep-order matches each result to its line through its reply: give --stdout-topic jobs.result/);
    expect(half.stderrLines.join('\n')).toMatch(/pipeline mode takes both --stdin-topic T and --stdout-topic R/);
    expect(nobody.stderrLines.join('\n')).toMatch(/--stdin-topic nobody: no task subscribes to it/);
  });
});
