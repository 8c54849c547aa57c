import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import { loadConfig } from './index.js';
import { loaderProblems, schemaChecker } from './json-schema.case.js';

/**
 * Every tasks.toml we ship or document must pass both the generated JSON schema (as an editor or
 * CI linter applies it) and the loader, so the two agree on real files.
 *
 * What counts as a complete file in the docs: a ```toml block with a `[tasks.NAME]` table header
 * (a file needs at least one task). Other blocks (a single key, the `#:schema` line) are fragments
 * and are not checked here; the key forms they show are covered by json-schema.forms.test.ts.
 */

const ROOT = process.cwd();
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];

function tomlFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return tomlFiles(relative);
    return entry.name.endsWith('.toml') ? [relative] : [];
  });
}

interface Block {
  readonly where: string;
  readonly text: string;
}

function completeTomlBlocks(file: string): Block[] {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```toml') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    const text = lines.slice(start, end).join('\n');
    if (/^\[tasks\.[^\]]+\]\s*$/m.test(text)) blocks.push({ where: `${file}:${start + 1}`, text: `${text}\n` });
    i = end;
  }
  return blocks;
}

const checker = schemaChecker();
const files = ['tasks.toml', ...tomlFiles('examples')];
const blocks = DOCS.flatMap(completeTomlBlocks);

describe('shipped tasks.toml files', () => {
  test('are found', () => {
    expect(files).toEqual(expect.arrayContaining(['tasks.toml', path.join('examples', 'ci', 'tasks.toml'), path.join('examples', 'ci', 'tasks-failing.toml')]));
  });

  test.each(files)('%s passes the JSON schema and the loader', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    expect(checker.problems(parse(text))).toEqual([]);
    expect(() => loadConfig(path.join(ROOT, file), { env: {} })).not.toThrow();
  });
});

describe('complete tasks.toml blocks in the docs', () => {
  test('are found in the README and the tasks.toml reference', () => {
    const sources = new Set(blocks.map((b) => b.where.split(':')[0]));
    expect([...sources]).toEqual(expect.arrayContaining(['README.md', path.join('docs', 'tasks-toml.md')]));
  });

  test.each(blocks.map((b) => [b.where, b.text] as const))('%s passes the JSON schema and the loader', (_where, text) => {
    expect(checker.problems(parse(text))).toEqual([]);
    expect(loaderProblems(text)).toEqual([]);
  });
});
