import { readFileSync } from 'node:fs';

/**
 * The package's own version, read from package.json beside the built code (dist/cli → ../../),
 * so a release never prints a stale hard-coded number.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no "version"');
  return manifest.version;
}
