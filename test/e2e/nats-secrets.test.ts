/**
 * Credentials against a real nats-server that requires a user and password: they come from the
 * environment or the URL, and never reach the orchestrator's output, its log file, events, the
 * control API, or a pod's argv. A wrong password exits 2 without echoing it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNats, natsServerBinary } from '../nats/server.js';
import { verb } from './control-harness.js';
import { freePort, processesWithEnv, runCli, tempDir } from './harness.js';
import { startInstance, stopInstances, uniqueName } from './nats-harness.js';

const PASSWORD = 'pw-7Qe2-x9Lk';
const NO_CREDENTIALS = { NATS_TOKEN: '', NATS_USER: '', NATS_PASSWORD: '', NATS_CREDS: '' };
let server: ChildProcess;
let url: string;

describeNats('NATS bus: credentials never shown', () => {
  beforeAll(async () => {
    const port = await freePort();
    url = `nats://127.0.0.1:${port}`;
    server = spawn(natsServerBinary()!, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(tempDir(), 'js'), '--user', 'alice', '--pass', PASSWORD], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server not ready:\n${log}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (/Server is ready/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
    });
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });
  afterEach(async () => {
    await stopInstances();
  }, 60_000);

  it('a wrong password exits 2 naming the server, never the password', async () => {
    const dir = tempDir();
    const file = join(dir, 'tasks.toml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '[tasks.web]\ncommand = "sleep 1000"\n');
    for (const [args, env] of [
      [['--bus', url], { ...NO_CREDENTIALS, NATS_USER: 'alice', NATS_PASSWORD: `${PASSWORD}-wrong` }],
      [['--bus', url.replace('//', `//alice:${PASSWORD}-wrong@`)], NO_CREDENTIALS],
    ] as const) {
      const run = runCli(['run', file, ...args, '--bus-project', 'p', '--instance', uniqueName('w')], { env });
      expect((await run.exit()).code).toBe(2);
      const output = [...run.lines, ...run.stderrLines].join('\n');
      expect(output).toContain('127.0.0.1');
      expect(output).toMatch(/Authorization Violation/);
      expect(output).not.toContain(PASSWORD);
    }
  });

  for (const how of ['environment', 'url'] as const) {
    it(`from the ${how}: connects, and the password is in no output, log file, event, API answer, pod argv or pod environment`, async () => {
      const project = uniqueName('sec');
      const name = uniqueName('a');
      const logFile = join(tempDir(), 'orchestrator.log');
      const toml = ['[tasks.web]', 'command = ["sh", "-c", "echo args=$0 $*; exec sleep 1000", "x", "y"]', 'replicas = 2', '[tasks.worker]', 'command = "sleep 1000"', 'subscribe = ["jobs"]', 'mode = "round_robin"', ''].join('\n');
      const env = how === 'environment' ? { ...NO_CREDENTIALS, NATS_USER: 'alice', NATS_PASSWORD: PASSWORD } : NO_CREDENTIALS;
      const busUrl = how === 'environment' ? url : url.replace('//', `//alice:${PASSWORD}@`);
      const instance = await startInstance({ url: busUrl }, project, name, toml, 3, ['--log-file', logFile, '--log-level', 'debug'], env);
      await instance.run.waitFor(/web-\d\s+\| args=/, 2);
      const answers = await Promise.all([['ps', '-o', 'json'], ['tasks', '-o', 'json'], ['events', '-o', 'json'], ['logs', '-o', 'json']].map((args) => verb([...args, '-f', instance.file])));
      for (const answer of answers) expect(answer.code).toBe(0);
      const shown = how === 'environment' ? url : url.replace('//', '//***@');
      expect(JSON.parse(answers[0]!.stdout).bus).toEqual({ kind: 'nats', project, instance: name, servers: [shown] });
      const table = await verb(['ps', '-f', instance.file]);
      expect(table.stdout.split('\n')[0]).toBe(`instance ${name} of project ${project} on ${shown} (pods of other instances are not listed)`);
      answers.push(table);
      const pods = processesWithEnv('ORCHESTRATOR_INSTANCE', name);
      const argv = pods.map((pid) => (existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : ''));
      expect(argv.length).toBeGreaterThanOrEqual(3);
      // Pods do not inherit the orchestrator's NATS credentials.
      const environs = pods.map((pid) => (existsSync(`/proc/${pid}/environ`) ? readFileSync(`/proc/${pid}/environ`, 'latin1') : ''));
      expect(environs.filter((environ) => environ.includes('ORCHESTRATOR_POD=')).length).toBeGreaterThanOrEqual(3);
      for (const environ of environs) expect(environ.split('\0').filter((entry) => /^NATS_(TOKEN|USER|PASSWORD|CREDS)=./.test(entry))).toEqual([]);
      const everything = [...instance.run.lines, ...instance.run.stderrLines, readFileSync(logFile, 'utf8'), ...answers.map((a) => a.stdout + a.stderr), ...argv].join('\n');
      expect(everything).toContain('connected to the NATS server');
      expect(everything).not.toContain(PASSWORD);
    }, 60_000);
  }
});
