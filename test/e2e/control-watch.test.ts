import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, tempDir, writeConfig, type CliRun } from './harness.js';
import { json, killLeftover, pids, startRun, stopRun } from './control-harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

describe('watch', () => {
  it('rolls the task once per save: atomic renames and bursts debounce, node_modules/.git/watch_ignore never trigger', async () => {
    const dir = tempDir();
    for (const sub of ['src', 'src/node_modules', 'src/.git', 'src/skip']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'src', 'main.txt'), 'v1\n');
    const file = writeConfig(
      `[tasks.app]\ncommand = [${JSON.stringify(join(FIXTURES, 'ticker.sh'))}]\nwatch = ["src/**/*.txt"]\nwatch_ignore = ["src/skip/**"]\nwatch_debounce = "200ms"\n\n` +
        `[tasks.other]\ncommand = [${JSON.stringify(join(FIXTURES, 'ticker.sh'))}]\n`,
      dir,
    );
    running = await startRun(file, 2);
    await running.waitFor(/watching src\/\*\*\/\*\.txt for app/);
    const first = await pids(file);

    // An editor's atomic save: write a temp file next to it, rename over the original.
    writeFileSync(join(dir, 'src', '.main.txt.tmp'), 'v2\n');
    renameSync(join(dir, 'src', '.main.txt.tmp'), join(dir, 'src', 'main.txt'));
    await running.waitFor(/src\/main\.txt changed: restarting app$/);
    await running.waitFor(/app rolling restart finished|app-\d stopped/);
    const second = await pids(file);
    expect(second['other-0']).toBe(first['other-0']);
    expect(Object.entries(second).filter(([name]) => name.startsWith('app-')).map(([, pid]) => pid)).not.toContain(first['app-0']);

    // Ignored paths, then a burst on one file: one restart naming only that file.
    writeFileSync(join(dir, 'src', 'node_modules', 'dep.txt'), 'x');
    writeFileSync(join(dir, 'src', '.git', 'HEAD.txt'), 'x');
    writeFileSync(join(dir, 'src', 'skip', 'generated.txt'), 'x');
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'src', 'burst.txt'), `v${i}\n`);
    const triggers = await running.waitFor(/ changed: restarting app$/, 2);
    expect(triggers.map((l) => /\| (.*)$/.exec(l)![1])).toEqual(['src/main.txt changed: restarting app', 'src/burst.txt changed: restarting app']);
    const { events } = await json<{ events: Array<{ type: string; file?: string }> }>(['events'], file);
    expect(events.filter((e) => e.type === 'file-changed').map((e) => e.file)).toEqual(['src/main.txt', 'src/burst.txt']);
    await stopRun(running, file);
  });
});
