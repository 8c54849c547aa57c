import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover, pids, startRun, stopRun, verb } from './control-harness.js';
import { type CliRun, fx, tempDir } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const ticker = (name: string, extra = ''): string => `[tasks.${name}]\ncommand = [${fx('ticker.sh')}]\n${extra}`;

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('include', () => {
  it('validate reports every problem across three files at once: a cycle spelled out, a duplicate naming both files and lines', async () => {
    const dir = project({
      'tasks.toml': `include = ["services/*.toml"]\n\n${ticker('web')}`,
      'services/api.toml': `include = ["../common/base.toml"]\n${ticker('api')}`,
      'common/base.toml': `include = ["../services/api.toml"]\n\n${ticker('web')}`,
    });
    const result = await verb(['validate', 'tasks.toml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      'common/base.toml:1:12 include[0]: include cycle: services/api.toml -> common/base.toml -> services/api.toml',
      'common/base.toml:3:8 tasks.web: task "web" is already defined in tasks.toml:3 (task names are unique across included files: rename one)',
    ]);
  });

  it('validate names the file each task comes from; a glob matching nothing is a warning', async () => {
    const dir = project({
      'tasks.toml': `include = ["services/*.toml", "optional/*.toml"]\n${ticker('web')}`,
      'services/api.toml': ticker('api', 'cwd = "data"\n'),
    });
    mkdirSync(join(dir, 'services', 'data'));
    const result = await verb(['validate', 'tasks.toml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: tasks.toml:1:31 include[1]: "optional/*.toml" matched no file');
    const rows = result.stdout.split('\n');
    expect(rows[0]).toBe(`ok: ${join(dir, 'tasks.toml')}`);
    expect(rows[1]).toMatch(/^web +1 replica /);
    expect(rows[1]).not.toMatch(/from /);
    expect(rows[2]).toMatch(/^api +1 replica .*\(from services\/api\.toml, cwd=services\/data\)$/);
  });

  it('run --watch reloads when an included file changes', async () => {
    const dir = project({ 'tasks.toml': `include = ["more.toml"]\n${ticker('web')}`, 'more.toml': ticker('api') });
    const file = join(dir, 'tasks.toml');
    running = await startRun(file, 2, ['--watch']);
    await running.waitFor(/watching .*more\.toml/);
    writeFileSync(join(dir, 'more.toml'), `${ticker('api')}\n${ticker('extra')}`);
    await running.waitFor(/config reloaded: added extra \(more\.toml changed\)/, 1, 60_000);
    await running.waitFor(/extra-0 started/, 1, 60_000);
    expect(Object.keys(await pids(file)).sort()).toEqual(['api-0', 'extra-0', 'web-0']);
    await stopRun(running, file);
  }, 90_000);
});
