/**
 * The dashboard's browser tests drive Debian's `chromium` (no browser download is possible here)
 * through playwright-core. CHROMIUM_PATH overrides where it is. A missing browser skips the tests on
 * a developer's machine, but fails them under CI or REQUIRE_BROWSER: a suite that silently skips
 * its browser tests would pass with a broken dashboard.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { CliRun, writeConfig } from '../e2e/harness.js';

function findChromium(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') return existsSync(given) ? given : null;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
    return found === '' ? null : found;
  } catch {
    return null;
  }
}

export const CHROMIUM = findChromium();
/** Set in CI (`.ci/run`) and by anyone who wants the suite to insist on a browser. */
export const BROWSER_REQUIRED = (process.env.CI ?? '') !== '' || (process.env.REQUIRE_BROWSER ?? '') !== '';
export const MISSING_BROWSER = 'no chromium found (install Debian\'s: apt-get install -y --no-install-recommends chromium fonts-dejavu-core; or set CHROMIUM_PATH)';

/** Launches the browser; a name resolver rule lets a test play a DNS-rebinding site (evil.test → 127.0.0.1). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (CHROMIUM === null) throw new Error(MISSING_BROWSER);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--host-resolver-rules=MAP evil.test 127.0.0.1'], ...options });
}

export interface Dashboard {
  readonly run: CliRun;
  readonly config: string;
  /** `http://127.0.0.1:PORT/ui/` as `run --ui` printed it (no token: stdout is not a terminal). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** GET or POST on the API with the token, from Node (no Origin header, like the CLI). */
  api<T>(path: string, body?: unknown): Promise<T>;
}

/** Starts `orchestrator run --ui 127.0.0.1:0` on `toml` and reads its URL and token file. */
export async function startDashboard(toml: string): Promise<Dashboard> {
  const config = writeConfig(toml);
  const run = new CliRun(['run', '--ui', '127.0.0.1:0', config]);
  const [line = ''] = await run.waitFor(/dashboard: http:\/\/127\.0\.0\.1:\d+\/ui\//);
  const url = /(http:\/\/127\.0\.0\.1:\d+\/ui\/)/.exec(line)?.[1] ?? '';
  const { token } = JSON.parse(readFileSync(join(config, '..', '.orchestrator', 'api-token'), 'utf8')) as { token: string };
  const origin = new URL(url).origin;
  return {
    run,
    config,
    url,
    origin,
    token,
    async api<T>(path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${origin}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}
