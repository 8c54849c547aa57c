/**
 * `run` validates tasks.toml in a short-lived child (loadConfigIsolated), so the long-running
 * orchestrator never loads zod or the TOML parser: the same config and the same ConfigError as an
 * in-process `loadConfig`, and the module log of a real run shows where each was loaded.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigLoaderError, loadConfigIsolated } from '../../src/config/load-isolated.js';
import { FIXTURES, ROOT, runCli, tempDir, writeConfig } from './harness.js';

const childScript = join(ROOT, process.env.ORCH_DIST ?? 'dist', 'config', 'load-child.js');
const isolated = (file: string, env: Record<string, string>) => loadConfigIsolated(file, { env, childScript });

/** The error `load` throws (or rejects with), for comparing its class and fields. */
async function thrown(load: () => unknown): Promise<unknown> {
  try {
    await load();
  } catch (error) {
    return error;
  }
  throw new Error('expected the load to throw');
}

describe('loadConfigIsolated: the same contract as loadConfig', () => {
  it('gives the same fully defaulted config: templates, a log pattern, env expansion, includes, [bus]', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'extra.toml'), '[tasks.extra]\ncommand = ["true"]\nrestart = "never"\n');
    const file = writeConfig(
      [
        'include = ["more/*.toml", "none/*.toml"]',
        '[bus]\nurl = "nats://127.0.0.1:4222"\nproject = "demo"',
        '[tasks.web]\ncommand = "serve --port 80${ORCHESTRATOR_REPLICA} --name ${NAME}"\nreplicas = 2\nready = { log = "listening on \\\\d+" }\nsubscribe = ["jobs.>"]\nmode = "round_robin"',
        '',
      ].join('\n'),
      dir,
    );
    const env = { NAME: 'from-the-env' };
    const config = await isolated(file, env);
    expect(config).toEqual(loadConfig(file, { env }));
    const web = config.tasks.find((t) => t.name === 'web');
    expect(web?.ready).toEqual({ kind: 'log', pattern: /listening on \d+/ });
    expect(web?.ready.kind === 'log' && web.ready.pattern instanceof RegExp).toBe(true);
    expect(config.warnings).toHaveLength(1);
  });

  it.each([
    ['invalid keys (CONFIG_INVALID)', '[tasks.a]\ncommand = ["a"]\nreplica = 2\n\n[tasks.b]\nreplicas = 1\n'],
    ['a TOML syntax error (CONFIG_TOML_SYNTAX)', '[tasks.a]\ncommand = ["a"\n'],
  ])('throws the same ConfigError for %s', async (_what, toml) => {
    const file = writeConfig(toml);
    const expected = (await thrown(() => loadConfig(file, { env: {} }))) as ConfigError;
    const error = await thrown(() => isolated(file, {}));
    expect(error).toBeInstanceOf(ConfigError);
    expect({ ...(error as ConfigError), format: (error as ConfigError).format() }).toEqual({ ...expected, cause: undefined, format: expected.format() });
    expect((error as ConfigError).code).toBe(expected.code);
    expect((error as ConfigError).message).toBe(expected.message);
  });

  it('a missing file is CONFIG_NOT_FOUND, as in process', async () => {
    const file = join(tempDir(), 'absent.toml');
    const error = (await thrown(() => isolated(file, {}))) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect([error.code, error.message]).toEqual(['CONFIG_NOT_FOUND', `${file} file not found`]);
  });

  it('a loader that gives no answer is CONFIG_LOADER_FAILED with its stderr, never the variables it was sent', async () => {
    const file = writeConfig('[tasks.a]\ncommand = ["a"]\n');
    const error = (await thrown(() => loadConfigIsolated(file, { env: { SECRET: 'hunter2-value' }, childScript: join(FIXTURES, 'crash.mjs') }))) as ConfigLoaderError;
    expect(error).toBeInstanceOf(ConfigLoaderError);
    expect(error.code).toBe('CONFIG_LOADER_FAILED');
    expect(error.message).toMatch(/^could not load .*tasks\.toml: the config loader process exited with code \d+ without an answer/);
    expect(error.message).not.toContain('hunter2-value');
  });
});

describe('a run keeps the config validator out of its own process', () => {
  it('the orchestrator loads neither zod nor the TOML parser (a child does, then exits), nor chokidar when nothing is watched', async () => {
    const log = tempDir('orch-imports-');
    const file = writeConfig('[tasks.idle]\ncommand = ["sleep", "600"]\nreplicas = 2\n');
    const run = runCli(['run', file], { env: { NODE_OPTIONS: `--import=${join(FIXTURES, 'record-imports.mjs')}`, RECORD_IMPORTS_DIR: log } });
    await run.waitFor(/idle-[01] started \(pid \d+\)/, 2, 30_000);
    run.signal('SIGINT');
    expect(await run.exit()).toEqual({ code: 130, signal: null });
    const logs = new Map(readdirSync(log).map((f) => [Number.parseInt(f, 10), readFileSync(join(log, f), 'utf8').trim().split('\n')]));
    const own = logs.get(run.child.pid!) ?? [];
    expect(own.some((url) => url.endsWith('/cli/commands/run.js'))).toBe(true);
    const forbidden = own.filter((url) => /\/node_modules\/(zod|smol-toml|chokidar|readdirp)\/|\/config\/(load|schema|rules)\.js$/.test(url));
    expect(forbidden).toEqual([]);
    const children = [...logs].filter(([pid]) => pid !== run.child.pid).map(([, urls]) => urls);
    const loader = children.filter((urls) => urls.some((url) => url.endsWith('/config/load-child.js')));
    expect(loader).toHaveLength(1);
    expect(loader[0]!.some((url) => url.includes('/node_modules/zod/'))).toBe(true);
  });
});
