// Builds the dashboard into dist/ui/ (index.html, assets/app.js, assets/app.css) at `npm run build`.
// The orchestrator serves these files from disk and never imports them; esbuild and the UI libraries
// are devDependencies, so the published package ships the output and builds nothing at install.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'ui');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  outfile: join(out, 'assets', 'app.js'),
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
for (const file of ['app.css', 'icon.svg']) copyFileSync(join(here, file), join(out, 'assets', file));
