// Runs against the build (`npm test` builds before vitest): what a user of the package imports.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string }>;
};

describe('public surface (package "." export)', () => {
  it('exports exactly the names listed in src/index.ts', async () => {
    const main = manifest.exports['.'];
    expect(main).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    const surface = (await import(pathToFileURL(path.join(root, main?.default ?? '')).href)) as Record<string, unknown>;
    expect(Object.keys(surface).sort()).toEqual([
      'ClientError',
      'ConfigError',
      'FrameDecodeError',
      'InvalidTopicError',
      'OrchestratorError',
      'RequestTimeoutError',
      'UnencodableDataError',
      'createClient',
      'isValidTopic',
      'loadConfig',
      'validateTopic',
    ]);
  });

  it('the client names are the same objects as at "stdio-orchestrator/client"', async () => {
    const main = (await import(pathToFileURL(path.join(root, 'dist/index.js')).href)) as Record<string, unknown>;
    const client = (await import(pathToFileURL(path.join(root, 'dist/client/index.js')).href)) as Record<string, unknown>;
    for (const name of Object.keys(client)) expect(main[name], name).toBe(client[name]);
  });

  it('npm pack ships dist/index.js and its types', () => {
    // --ignore-scripts: `prepare` would rebuild dist/ under the other tests' feet.
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
    const files = (pack?.files ?? []).map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/client/index.js']));
  });
});
