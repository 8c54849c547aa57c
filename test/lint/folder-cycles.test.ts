import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCycle, folderCycles, folderEdges, importSpecifiers, type SourceFile } from './folder-graph.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built sources: tests and shared test cases (`*.test.ts`, `*.case.ts`) are not part of the layering. */
function sources(dir: string): SourceFile[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(rel);
    if (!entry.name.endsWith('.ts') || /\.(test|case)\.ts$/.test(entry.name)) return [];
    return [{ path: rel, text: readFileSync(path.join(root, rel), 'utf8') }];
  });
}

describe('folder cycles in src/ (type-only imports included)', () => {
  it('no two folders of src/ import each other, directly or through others', () => {
    const edges = folderEdges(sources('src'));
    const cycles = folderCycles(edges);
    expect(cycles.map((cycle) => describeCycle(cycle, edges))).toEqual([]);
  });

  it('the scan sees src/ at all (a wrong root would pass vacuously)', () => {
    const froms = new Set(folderEdges(sources('src')).map((e) => e.from));
    expect([...froms]).toEqual(expect.arrayContaining(['app', 'bus', 'cli', 'controller', 'pod', 'protocol']));
  });

  it('a type-only import that closes a loop is a cycle, reported with the import that made it', () => {
    const files: SourceFile[] = [
      { path: 'src/controller/replica-set.ts', text: "import { Pod } from '../pod/pod.js';\n" },
      { path: 'src/pod/pod.ts', text: "import type { ExitInfo } from '../controller/restart-policy.js';\n" },
      { path: 'src/util/clock.ts', text: "import { x } from 'node:timers';\n" },
    ];
    const edges = folderEdges(files);
    expect(folderCycles(edges)).toEqual([['controller', 'pod']]);
    expect(describeCycle(['controller', 'pod'], edges)).toBe(
      'folders controller, pod import each other:\n' +
        "  controller → pod: src/controller/replica-set.ts imports '../pod/pod.js'\n" +
        "  pod → controller: src/pod/pod.ts imports '../controller/restart-policy.js'",
    );
  });

  it('a loop through three folders is one cycle; imports within a folder and of packages are not edges', () => {
    const files: SourceFile[] = [
      { path: 'src/a/x.ts', text: "import { b } from '../b/y.js';\nimport { z } from './z.js';\n" },
      { path: 'src/b/y.ts', text: "export { c } from '../c/index.js';\nimport 'zod';\n" },
      { path: 'src/c/index.ts', text: "const a = await import('../a/x.js');\n" },
      { path: 'src/app.ts', text: "import { b } from './b/y.js';\n" },
    ];
    expect(folderCycles(folderEdges(files))).toEqual([['a', 'b', 'c']]);
  });

  it('reads every import form: from, type, re-export, side effect, dynamic', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from \"../c/c.js\";",
      "export * from '../d/d.js';",
      "import '../e/e.js';",
      "const f = await import('../f/f.js');",
    ].join('\n');
    expect(importSpecifiers(text)).toEqual(['./a.js', '../b/b.js', '../c/c.js', '../d/d.js', '../e/e.js', '../f/f.js']);
  });
});
