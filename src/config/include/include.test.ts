import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from '../load.js';
import { expandGlob, segmentRegExp } from './glob.js';
import { readdirSync } from 'node:fs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'include-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function files(tree: Record<string, string>): void {
  for (const [name, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

/** The problem lines of a failed load, paths relative to the temp project. */
function problems(file = 'tasks.toml'): string[] {
  try {
    loadConfig(path.join(root, file), { env: {} });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.lines().map((line) => line.split(`${root}/`).join(''));
  }
  throw new Error('expected a ConfigError');
}

const task = (name: string, extra = ''): string => `[tasks.${name}]\ncommand = "true"\n${extra}`;

describe('include', () => {
  test('globs and plain paths, followed recursively, merge into one project in depth-first order', () => {
    files({
      'tasks.toml': `include = ["services/*.toml", "../${path.basename(root)}/common.toml"]\n${task('root')}`,
      'services/b.toml': task('b'),
      'services/a.toml': `include = ["deep/c.toml"]\n${task('a')}`,
      'services/deep/c.toml': task('c'),
      'services/notes.txt': 'not toml',
      'common.toml': task('common'),
    });
    const config = loadConfig(path.join(root, 'tasks.toml'), { env: {} });
    expect(config.tasks.map((t) => t.name)).toEqual(['root', 'a', 'c', 'b', 'common']);
    expect(config.files.map((f) => path.relative(root, f))).toEqual(['tasks.toml', 'services/a.toml', 'services/deep/c.toml', 'services/b.toml', 'common.toml']);
    expect(path.relative(root, config.taskFiles['c'] ?? '')).toBe('services/deep/c.toml');
    expect(config.warnings).toEqual([]);
  });

  test('cwd, env_file and ${CONFIG_DIR} are relative to the file that defines the task', () => {
    files({
      'tasks.toml': 'include = ["svc/x.toml"]\n',
      'svc/x.toml': `${task('x', 'cwd = "work"\nenv_file = ".env"\nenv = { HERE = "${CONFIG_DIR}" }\n')}`,
      'svc/.env': 'A=1\n',
    });
    const [x] = loadConfig(path.join(root, 'tasks.toml'), { env: {} }).tasks;
    expect(x?.cwd).toBe(path.join(root, 'svc/work'));
    expect(x?.envFile).toBe(path.join(root, 'svc/.env'));
    expect(x?.env).toEqual({ A: '1', HERE: path.join(root, 'svc') });
  });

  test('[defaults] applies to its own file and the files it includes, nearest wins, whole keys', () => {
    files({
      'tasks.toml': `include = ["a.toml", "b.toml"]\n[defaults]\nreplicas = 2\ngrace_period = "1s"\n${task('root')}`,
      'a.toml': `include = ["a2.toml"]\n[defaults]\nreplicas = 3\n${task('a')}`,
      'a2.toml': task('a2'),
      'b.toml': task('b', 'replicas = 5\n'),
    });
    const tasks = loadConfig(path.join(root, 'tasks.toml'), { env: {} }).tasks;
    expect(tasks.map((t) => [t.name, t.replicas, t.gracePeriodMs])).toEqual([
      ['root', 2, 1000],
      ['a', 3, 1000],
      ['a2', 3, 1000],
      ['b', 5, 1000],
    ]);
  });

  test('a file reached twice is read once; a glob matching nothing is a warning with its line', () => {
    files({
      'tasks.toml': `include = ["a.toml", "b.toml",\n  "none/*.toml"]\n`,
      'a.toml': `include = ["shared.toml"]\n${task('a')}`,
      'b.toml': `include = ["shared.toml"]\n${task('b')}`,
      'shared.toml': task('shared'),
    });
    const config = loadConfig(path.join(root, 'tasks.toml'), { env: {} });
    expect(config.tasks.map((t) => t.name)).toEqual(['a', 'shared', 'b']);
    expect(config.warnings.map((w) => w.split(`${root}/`).join(''))).toEqual(['tasks.toml:2:3 include[2]: "none/*.toml" matched no file']);
  });

  test('every problem at once, each with its file and line: missing path, cycle, duplicate task, unknown key', () => {
    files({
      'tasks.toml': `include = ["a.toml", "missing.toml"]\n${task('web')}`,
      'a.toml': `include = ["b.toml"]\n\n${task('worker', 'replica = 2\n')}`,
      'b.toml': `include = ["a.toml"]\n${task('web')}`,
    });
    expect(problems()).toEqual([
      'tasks.toml:1:22 include[1]: file not found: missing.toml',
      'a.toml:5:1 tasks.worker.replica: unknown key, did you mean "replicas"?',
      'b.toml:1:12 include[0]: include cycle: a.toml -> b.toml -> a.toml',
      'b.toml:2:8 tasks.web: task "web" is already defined in tasks.toml:2 (task names are unique across included files: rename one)',
    ]);
  });

  test('a syntax error in an included file is reported with the other problems', () => {
    files({ 'tasks.toml': `include = ["bad.toml"]\n${task('web', 'replicas = "two"\n')}`, 'bad.toml': '[tasks.x\n' });
    const lines = problems();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('tasks.toml:4:1 tasks.web.replicas: expected an integer >= 0, got "two" (string)');
    expect(lines[1]).toMatch(/^bad\.toml:1:\d+ /);
  });

  test('a project without any task says so', () => {
    files({ 'tasks.toml': 'include = ["a.toml"]\n', 'a.toml': '[defaults]\nreplicas = 2\n' });
    expect(problems()).toEqual(['tasks.toml tasks: no tasks defined: add a [tasks.NAME] table']);
  });
});

describe('expandGlob', () => {
  const readDir = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
    } catch {
      return null;
    }
  };

  test('* ? [..] within a segment, ** across directories, no dotfiles, files only, sorted', () => {
    files({ 'a/x1.toml': '', 'a/x2.toml': '', 'a/.hidden.toml': '', 'a/sub/x3.toml': '', 'a/sub/deeper/x4.toml': '', 'b.toml': '' });
    mkdirSync(path.join(root, 'a/dir.toml'));
    const rel = (pattern: string) => expandGlob(root, pattern, readDir).map((f) => path.relative(root, f));
    expect(rel('a/*.toml')).toEqual(['a/x1.toml', 'a/x2.toml']);
    expect(rel('a/x?.toml')).toEqual(['a/x1.toml', 'a/x2.toml']);
    expect(rel('a/x[!1].toml')).toEqual(['a/x2.toml']);
    expect(rel('a/**/*.toml')).toEqual(['a/sub/deeper/x4.toml', 'a/sub/x3.toml', 'a/x1.toml', 'a/x2.toml']);
    expect(rel('nowhere/*.toml')).toEqual([]);
  });

  test('segmentRegExp escapes what is not a wildcard', () => {
    expect(segmentRegExp('a+b.(1).toml').test('a+b.(1).toml')).toBe(true);
    expect(segmentRegExp('*.toml').test('.x.toml')).toBe(false);
  });
});
