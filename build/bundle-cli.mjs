// Bundles the CLI over tsc's output at `npm run build`, with esbuild and code splitting: the bin
// (dist/cli/main.js), each verb main imports when it runs (dist/cli/commands/<verb>.js) and the
// config child (dist/config/load-child.js) replace tsc's files of the same name; what they share
// goes to dist/chunks/. A supervisor then reads ~20 files instead of ~200 modules: fewer module
// records and loader objects held for its whole life, less start-up work and garbage. Every
// `import()` stays its own file, read only when used (the verbs, the NATS transport, the dashboard
// route, chokidar's watcher, the pipeline). Packages stay external (read from node_modules as
// before). The library entries (dist/index.js, dist/client/) and the rest of dist/ stay tsc's.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const main = join(src, 'cli', 'main.ts');
const verbs = [...readFileSync(main, 'utf8').matchAll(/import\('\.\/commands\/([\w-]+)\.js'\)/g)].map((m) => join(src, 'cli', 'commands', `${m[1]}.ts`));
if (verbs.length === 0) throw new Error(`${main}: no "import('./commands/<verb>.js')" found`);

rmSync(join(dist, 'chunks'), { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: [main, join(src, 'config', 'load-child.ts'), ...verbs],
  outbase: src,
  outdir: dist,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // Linked maps: `NODE_OPTIONS=--enable-source-maps` maps stack traces to src/; without the flag
  // Node never reads them, so a run pays nothing for them.
  sourcemap: 'linked',
  // Not minified: the code and its names stay as written; the shebang and its flag are kept.
  metafile: true,
  logLevel: 'warning',
});
chmodSync(join(dist, 'cli', 'main.js'), 0o755);

// A module that finds a file from `import.meta.url` must use util/built-file.ts: a bare "../x" is
// right only at the depth tsc gives it (dist/<folder>/), and a verb's file sits one deeper.
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (!file.endsWith('.js') || file.split('/').length === 3) continue; // dist/<folder>/x.js
  for (const input of Object.keys(output.inputs)) {
    const code = input.startsWith('src/') && !input.endsWith('/built-file.ts') ? readFileSync(join(root, input), 'utf8') : '';
    if (code.replaceAll('builtFile(import.meta.url', '').includes('import.meta.url')) {
      throw new Error(`${input} reads import.meta.url and is bundled into ${file}, one folder deeper than tsc puts it: find the file with builtFile() (src/util/built-file.ts)`);
    }
  }
}
