// Lint runs in `npm test`; console.* is an error outside src/cli (the domain logs through pino).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers (docs/architecture.md, "Layers"). `no-restricted-imports` flags `import type` too, which
// `madge --circular dist` cannot see; test/lint/folder-cycles.test.ts catches cycles between any folders.
// Folders and top-level files of src/, named as an import names them (`pod`, `app.js`). src/testing/
// is left out: test files may use its fakes.
const SRC = readdirSync(new URL('./src/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.name !== 'testing' && (entry.isDirectory() || /^[^.]+\.ts$/.test(entry.name)))
  .map((entry) => (entry.isDirectory() ? entry.name : entry.name.replace(/\.ts$/, '.js')));
const DOMAIN = ['bus', 'config', 'controller', 'health', 'jobs', 'observe', 'pod', 'protocol', 'reload', 'report', 'util'];
const OUTER = ['app', 'cli', 'control', 'index.js'];
const except = (...allowed) => SRC.filter((name) => !allowed.includes(name));
/** Per folder: groups of src/ entries it must not import, each with the rule it states. Groups are disjoint. */
const FORBIDDEN = {
  protocol: [{ names: except('protocol', 'util'), rule: 'protocol/ is pure and imports only util/.' }],
  util: [{ names: except('util'), rule: 'util/ imports nothing else in src/.' }],
  client: [{ names: except('client', 'protocol', 'util'), rule: 'client/ imports only protocol/ and util/.' }],
  pod: [{ names: ['controller'], rule: 'pod/ never imports controller/ (controller/ drives pods).' }],
};
for (const folder of DOMAIN) {
  const taken = (FORBIDDEN[folder] ?? []).flatMap((group) => group.names);
  const outer = OUTER.filter((name) => !taken.includes(name));
  if (outer.length > 0) {
    FORBIDDEN[folder] = [...(FORBIDDEN[folder] ?? []), { names: outer, rule: 'The domain never imports app/, cli/, control/ or index.ts.' }];
  }
}
for (const folder of SRC) {
  const taken = (FORBIDDEN[folder] ?? []).flatMap((group) => group.names);
  if (folder !== 'cli' && !taken.includes('cli')) {
    FORBIDDEN[folder] = [...(FORBIDDEN[folder] ?? []), { names: ['cli'], rule: 'Only src/cli/ imports from src/cli/.' }];
  }
}
for (const folder of SRC) FORBIDDEN[folder] ??= [];
const escape = (name) => name.replace(/[.]/g, '\\.');
// Outside src/bus/ only its entry modules are importable: the facade, its types, its pod adapters and
// its errors; never a concrete broker, dispatcher or transport class.
const BUS_ENTRIES = ['bus', 'transport', 'types', 'create-transport', 'pod-port', 'system-commands', 'errors'];
const busInternals = (prefix) => ({
  regex: `^${prefix}bus/(?!(?:${BUS_ENTRIES.join('|')})\\.js$)`,
  message: `Outside src/bus/ import only bus/{${BUS_ENTRIES.join(',')}}.js (the Bus facade), never its internals. See "Layers" in docs/architecture.md.`,
});
// Packages only some folders may load: the NATS client only in the NATS transport (loaded with a
// dynamic import when a bus URL is set), UI libraries never in src/ (the dashboard is static files).
const NATS_CLIENT = { group: ['@nats-io/*'], message: 'Only src/bus/nats/ imports the NATS client (loaded on demand). See "Layers" in docs/architecture.md.' };
const UI_LIBRARIES = { group: ['preact', 'preact/*', 'htm', 'htm/*', '@preact/*'], message: 'src/ never imports UI code: the dashboard is built into static files. See "Layers" in docs/architecture.md.' };
// The dashboard's source (ui/) is bundled into dist/ui/ and served as files: the orchestrator never
// loads it, and only it loads the UI libraries.
const UI_APP = { regex: '^(?:\\.\\.?/)+ui(?:/|$)', message: 'src/ never imports the dashboard (ui/): it is built into static files. See "Layers" in docs/architecture.md.' };
// src/testing/ holds fakes for tests: a built module importing it would ship them.
const testingFakes = (prefix) => ({ regex: `^${prefix}testing(?:/|$)`, message: 'src/testing/ is imported only by *.test.ts and *.case.ts files.' });
const TESTS = ['src/**/*.test.ts', 'src/**/*.case.ts'];
/**
 * Config objects per folder: a later object would replace, not extend, the rule's options, so each
 * object carries every pattern for its files. Sources and tests get separate objects (only tests
 * may use src/testing/), and src/bus/nats/ its own (it may use the NATS client).
 */
const boundaries = Object.entries(FORBIDDEN).flatMap(([folder, groups]) => {
  const topLevel = folder.endsWith('.js');
  const prefix = topLevel ? '\\./' : '(?:\\.\\./)+';
  const layering = [
    ...groups.map(({ names, rule }) => ({
      regex: `^${prefix}(?:${names.map(escape).join('|')})(?:/|$)`,
      message: `${rule} See "Layers" in docs/architecture.md.`,
    })),
    ...(folder === 'bus' ? [] : [busInternals(prefix)]),
  ];
  const files = topLevel ? [`src/${folder.replace(/\.js$/, '.ts')}`] : [`src/${folder}/**`];
  const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  const objects = [
    { files, ignores: TESTS, rules: rule([...layering, testingFakes(prefix), NATS_CLIENT, UI_LIBRARIES, UI_APP]) },
    { files: TESTS.filter(() => !topLevel).map((t) => t.replace('src/**', `src/${folder}/**`)), rules: rule([...layering, NATS_CLIENT, UI_LIBRARIES, UI_APP]) },
  ];
  if (folder === 'bus') {
    objects.push({ files: ['src/bus/nats/**'], ignores: TESTS, rules: rule([...layering, testingFakes('(?:\\.\\./)+'), UI_LIBRARIES, UI_APP]) });
    objects.push({ files: TESTS.map((t) => t.replace('src/**', 'src/bus/nats/**')), rules: rule([...layering, UI_LIBRARIES, UI_APP]) });
  }
  return objects.filter((o) => o.files.length > 0);
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**', 'test/**', 'bench/**', 'examples/**', 'src/pod/watchdog.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
  ...boundaries,
  // Only ui/ loads the UI libraries; it reads the API's wire types from src/ but no code (esbuild
  // drops type-only imports, so nothing of the orchestrator is bundled).
  {
    files: ['test/**', 'bench/**', 'examples/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ ...UI_LIBRARIES, message: 'Only ui/ imports UI libraries (the dashboard is built into static files).' }] }] },
  },
  {
    files: ['ui/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '^(?:\\.\\./)+src/', allowTypeImports: true, message: 'ui/ takes only types from src/ (import type): the dashboard talks to the orchestrator over HTTP.' }] }],
    },
  },
);
