import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The 0600 page a browser is handed instead of the URL: argv is readable by every local user. */
export function launcherPath(privateDir: string): string {
  return join(privateDir, 'dashboard.html');
}

/** True when a browser may be opened for us: a terminal user, not a CI job. */
export function mayOpenBrowser(stdoutIsTty: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return stdoutIsTty && (env.CI === undefined || env.CI === '' || env.CI === '0' || env.CI === 'false');
}

/**
 * Opens `url` (which may carry `#token=`) in the desktop's browser without putting it in any
 * process's argv: the URL goes into a 0600 redirect page in `privateDir` (a 0700 directory), and
 * `xdg-open` (`open` on macOS) gets that file's path. Resolves to null, or why it could not.
 */
export function openBrowser(url: string, privateDir: string, platform: NodeJS.Platform = process.platform): Promise<string | null> {
  const page = launcherPath(privateDir);
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>orchestrator</title>\n`, { mode: 0o600 });
  const opener = platform === 'darwin' ? 'open' : 'xdg-open';
  return new Promise((resolve) => {
    const child = spawn(opener, [page], { detached: true, stdio: 'ignore' });
    child.once('error', (error: NodeJS.ErrnoException) => resolve(`could not run ${opener} (${error.code ?? error.message}); open the URL yourself`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}

/** Removes the redirect page (at the end of the run that owns the directory). */
export function removeLauncher(privateDir: string): void {
  rmSync(launcherPath(privateDir), { force: true });
}
