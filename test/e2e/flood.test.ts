import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fx, runCli, writeConfig } from './harness.js';

// 2 GiB by default, as the issue asks; FLOOD_MB makes a quicker local run possible.
const floodBytes = Number(process.env.FLOOD_MB ?? 2048) * 2 ** 20;
const lineBytes = 8192;
const messages = Math.ceil(floodBytes / lineBytes);

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('flood', () => {
  it(`keeps the orchestrator under 150 MiB while a pod floods ${floodBytes / 2 ** 20} MiB at a slow subscriber, losing nothing`, { timeout: 180_000 }, async () => {
    const file = writeConfig(
      `[tasks.flood]\ncommand = ["node", ${fx('flood.mjs')}]\nenv = { FLOOD_COUNT = "${messages}", LINE_BYTES = "${lineBytes}" }\n\n` +
        `[tasks.sink]\ncommand = ["node", ${fx('slow-consumer.mjs')}]\nsubscribe = ["flood"]\nstdin = "payload"\nmax_queue = 1000\noverflow = "block"\nenv = { EXPECT = "${messages}" }\n`,
    );
    const run = runCli(['run', file, '--no-timestamps']);
    const [flooded] = await run.waitFor(/flood-0 +\| flooded \d+$/, 1, 170_000);
    const count = Number(/flooded (\d+)/.exec(flooded!)![1]);
    const [consumed] = await run.waitFor(/sink-0 +\| consumed \d+/, 1, 170_000);
    const peak = peakRssMiB(run.child.pid!);
    run.signal('SIGINT');
    await run.exit();
    expect(consumed).toMatch(new RegExp(`consumed ${count} ok$`));
    expect(count).toBe(messages);
    expect(peak).toBeLessThan(150);
  });
});
