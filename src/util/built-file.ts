import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many folders above the calling module a build's root can be (dist/cli/commands/x.js: 3). */
const MAX_DEPTH = 3;

/**
 * The path of `rel` (e.g. "config/load-child.js") in the build that `moduleUrl` (the caller's
 * `import.meta.url`) belongs to. The same module is tsc's output at dist/<folder>/x.js or part of
 * a CLI bundle at dist/cli/commands/x.js or dist/chunks/x.js, so a fixed "../" would be right in
 * only one layout: the nearest folder above it that holds `rel` is the build's root. When none
 * does, the path next to the module's folder, so the error names a plausible file.
 */
export function builtFile(moduleUrl: string, rel: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  let dir = start;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(start), rel);
}
