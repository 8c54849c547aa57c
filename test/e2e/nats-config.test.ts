/**
 * The [bus] table and the run flags, end to end, where no NATS server is needed: what validate
 * shows, which settings are errors (exit 2, nothing started), that --bus memory keeps the
 * in-process bus, and that no secret reaches the output. The runs against a server are in
 * nats-instances.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftover } from './control-harness.js';
import { type CliRun, freePort, fx, processesWithEnv, runCli, tempDir, writeConfig } from './harness.js';

let running: CliRun | null = null;
afterEach(async () => {
  await killLeftover(running);
  running = null;
});

const SECRET_TOKEN = 'tok-5f1e9c2b7a';
const SECRET_PASS = 'pw-93ab61e0c4';

describe('[bus] and the bus flags', () => {
  it('validate shows the bus with the URL redacted and the kind of credential only', async () => {
    const file = writeConfig(`[bus]\nurl = "nats://alice:${SECRET_PASS}@127.0.0.1:4222"\nproject = "shop"\ninstance = "web-1"\nlease = "2s"\n\n[tasks.web]\ncommand = "serve"\n`);
    const run = runCli(['validate', file], { env: { NATS_TOKEN: '', NATS_USER: '', NATS_PASSWORD: '', NATS_CREDS: '' } });
    expect(await run.exit()).toEqual({ code: 0, signal: null });
    expect(run.lines).toEqual([
      `ok: ${file}`,
      'web  1 replica  restart=always  no subscriptions  serve',
      'bus: NATS nats://***@127.0.0.1:4222, project shop, instance web-1 (lease 2s, file storage, 1 replica, credentials from the URL)',
    ]);
    const both = runCli(['validate', file], { env: { NATS_TOKEN: SECRET_TOKEN } });
    expect(await both.exit()).toEqual({ code: 2, signal: null });
    expect(both.stderrLines).toEqual(['orchestrator: more than one NATS credential is set (userinfo in the URL, NATS_TOKEN): keep one']);
  });

  it('a secret key in [bus] is an error naming the variable, without echoing the value', async () => {
    const file = writeConfig(`[bus]\nurl = "nats://127.0.0.1:4222"\nproject = "shop"\ntoken = "${SECRET_TOKEN}"\n\n[tasks.web]\ncommand = "serve"\n`);
    const run = runCli(['run', file]);
    expect(await run.exit()).toEqual({ code: 2, signal: null });
    expect(run.stderrLines).toEqual([`${file}:4:1 bus.token: secrets are never read from tasks.toml: remove "token" and set NATS_TOKEN in the orchestrator's environment`]);
    expect([...run.lines, ...run.stderrLines].join('\n')).not.toContain(SECRET_TOKEN);
  });

  it('bad flags exit 2 with the flag named and start nothing', async () => {
    const file = writeConfig('[tasks.web]\ncommand = "serve"\n');
    const cases: [string[], string][] = [
      [['--bus', `http://u:${SECRET_PASS}@h`], 'orchestrator: --bus: expected "memory" or a nats:// or tls:// URL such as nats://127.0.0.1:4222 (several separated by ","), got "http://***@h"'],
      [['--bus', 'nats://127.0.0.1:4222'], 'orchestrator: a NATS bus needs a project: add --bus-project NAME or project = "NAME" to the [bus] table (the same on every instance of this stack)'],
      [['--instance', 'a'], 'orchestrator: --instance needs a NATS bus: add --bus nats://HOST:4222 or a [bus] table with url to tasks.toml'],
      [['--bus', 'nats://127.0.0.1:4222', '--bus-project', 'a.b'], 'orchestrator: --bus-project: expected letters, digits and "-", starting with a letter or digit (no "_" or "."), got "a.b"'],
    ];
    for (const [flags, message] of cases) {
      const run = runCli(['run', file, ...flags]);
      expect(await run.exit()).toEqual({ code: 2, signal: null });
      expect(run.stderrLines).toEqual([message]);
    }
  });

  it('--bus memory runs in process even with a [bus] table, and pods get no ORCHESTRATOR_INSTANCE', async () => {
    const marker = `memory-${process.pid}-${Date.now()}`;
    const file = writeConfig(`[bus]\nurl = "nats://127.0.0.1:1"\nproject = "shop"\n\n[tasks.web]\ncommand = ["sh", "-c", "echo instance=[$ORCHESTRATOR_INSTANCE]; exec sleep 1000"]\nenv = { MARK = "${marker}" }\n`);
    running = runCli(['run', file, '--bus', 'memory', '--no-timestamps']);
    await running.waitFor(/web-0\s+\| instance=\[\]$/);
    expect(running.matching(/bus: NATS/)).toEqual([]);
    running.signal('SIGINT');
    expect(await running.exit()).toEqual({ code: 130, signal: null });
    expect(processesWithEnv('MARK', marker)).toEqual([]);
  });

  it('a reload that changes [bus] warns that it needs a restart and changes nothing else', async () => {
    const { writeFileSync } = await import('node:fs');
    const toml = (lease: string): string => `[bus]\nurl = "nats://127.0.0.1:1"\nproject = "shop"\nlease = "${lease}"\n\n[tasks.web]\ncommand = "sleep 1000"\n`;
    const file = writeConfig(toml('2s'));
    running = runCli(['run', file, '--bus', 'memory', '--no-timestamps']);
    await running.waitFor(/web-0 started/);
    writeFileSync(file, toml('9s'));
    const apply = runCli(['apply', '-f', file]);
    expect((await apply.exit()).code).toBe(0);
    await running.waitFor(/\[bus\] changed in tasks\.toml: bus settings apply only when a run starts; restart the orchestrator to use them \(this run keeps its bus\)$/);
    expect(running.matching(/web-0 (started|stopping)/)).toHaveLength(1);
    running.signal('SIGINT');
    expect(await running.exit()).toEqual({ code: 130, signal: null });
  });

  it('an unreachable server: exit 2 naming the redacted URL within connect_timeout, no pod started, no secret shown', async () => {
    const port = await freePort();
    const marker = `unreachable-${process.pid}-${Date.now()}`;
    const file = writeConfig(
      `[bus]\nurl = "nats://alice:${SECRET_PASS}@127.0.0.1:${port}"\nproject = "shop"\ninstance = "a"\nconnect_timeout = "1s"\n\n[tasks.web]\ncommand = ["node", ${fx('print-messages.mjs')}]\nenv = { MARK = "${marker}" }\n`,
      tempDir(),
    );
    const run = runCli(['run', file, '--no-timestamps'], { env: { NATS_TOKEN: '', NATS_USER: '', NATS_PASSWORD: '', NATS_CREDS: '' } });
    const exit = await run.exit(10_000);
    expect(exit).toEqual({ code: 2, signal: null });
    const output = [...run.lines, ...run.stderrLines].join('\n');
    expect(run.stderrLines.join('\n')).toContain(`nats://***@127.0.0.1:${port}`);
    expect(output).not.toContain(SECRET_PASS);
    expect(output).not.toMatch(/web-0 started/);
    expect(processesWithEnv('MARK', marker)).toEqual([]);
  });
});
