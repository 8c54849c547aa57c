// `--compare REV`: builds REV in a temporary git worktree so the same bench can run it and the
// current build alternately (A = REV, B = this build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliOf, ROOT } from './harness.mjs';

function sh(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}, exit ${r.status ?? r.signal}):\n${`${r.stdout}${r.stderr}`.slice(-3000)}`);
  return r.stdout.trim();
}

const sameFile = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

/** What the current build is: `git describe` of the worktree (with -dirty when it has changes). */
export function describeHead() {
  return sh('git', ['describe', '--always', '--dirty'], ROOT, 'git describe');
}

/**
 * Checks REV out (detached) in a temp worktree and compiles it (and bundles its CLI when REV has
 * build/bundle-cli.mjs, as its `npm run build` does). node_modules is a symlink to ours
 * when REV's package-lock.json is the same, else `npm ci --ignore-scripts` (an older revision may
 * lack a dependency the current lock has, or the reverse). Returns { cli, label, remove() }.
 */
export function buildRevision(rev, log = (line) => process.stderr.write(`${line}\n`)) {
  const sha = sh('git', ['rev-parse', '--verify', `${rev}^{commit}`], ROOT, `resolving ${rev}`);
  const short = sha.slice(0, 10);
  const dir = mkdtempSync(join(tmpdir(), `bench-rev-${short}-`));
  rmSync(dir, { recursive: true, force: true });
  log(`building ${rev} (${short}) in ${dir} …`);
  sh('git', ['worktree', 'add', '--detach', dir, sha], ROOT, 'git worktree add');
  const remove = () => {
    try {
      sh('git', ['worktree', 'remove', '--force', dir], ROOT, 'git worktree remove');
    } catch {
      rmSync(dir, { recursive: true, force: true });
      spawnSync('git', ['worktree', 'prune'], { cwd: ROOT });
    }
  };
  try {
    if (sameFile(join(dir, 'package-lock.json'), join(ROOT, 'package-lock.json'))) {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    } else {
      log(`${short}: package-lock.json differs, npm ci --ignore-scripts …`);
      sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], dir, `npm ci in ${dir}`);
    }
    sh(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], dir, `building ${rev}`);
    // A revision that ships its CLI bundled (build/bundle-cli.mjs) is measured bundled, as `npm run build` makes it.
    const bundle = join(dir, 'build', 'bundle-cli.mjs');
    if (existsSync(bundle)) sh(process.execPath, [bundle], dir, `bundling ${rev}`);
    const cli = cliOf(join(dir, 'dist'));
    if (!existsSync(cli)) throw new Error(`building ${rev}: ${cli} was not produced`);
    return { cli, label: `${rev} (${short})`, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
