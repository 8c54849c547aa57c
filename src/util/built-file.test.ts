import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtFile } from './built-file.js';

function build(): string {
  const dist = mkdtempSync(join(tmpdir(), 'built-file-'));
  mkdirSync(join(dist, 'config'));
  mkdirSync(join(dist, 'cli', 'commands'), { recursive: true });
  mkdirSync(join(dist, 'chunks'));
  writeFileSync(join(dist, 'config', 'load-child.js'), '');
  return dist;
}

const from = (dist: string, module: string): string => pathToFileURL(join(dist, module)).href;

describe('builtFile', () => {
  it('finds the file from tsc output, a bundled entry two folders down and a chunk', () => {
    const dist = build();
    const want = join(dist, 'config', 'load-child.js');
    expect(builtFile(from(dist, 'config/load-isolated.js'), 'config/load-child.js')).toBe(want);
    expect(builtFile(from(dist, 'cli/commands/run.js'), 'config/load-child.js')).toBe(want);
    expect(builtFile(from(dist, 'chunks/chunk-ABC.js'), 'config/load-child.js')).toBe(want);
  });

  it('without the file anywhere above, names it beside the module folder', () => {
    const dist = build();
    expect(builtFile(from(dist, 'pod/group-guard.js'), 'pod/watchdog.js')).toBe(join(dist, 'pod', 'watchdog.js'));
  });
});
