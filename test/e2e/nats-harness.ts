/**
 * Two (or more) built CLIs as instances of one project on a real nats-server: each in its own temp
 * dir (control socket and pod state live beside tasks.toml), started with --bus, --bus-project and
 * --instance. Names are unique per test so one server serves a whole file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { describeNats, startNats, type NatsServer } from '../nats/server.js';
import { verb } from './control-harness.js';
import { type CliRun, processesWithEnv, runCli, tempDir, until, writeConfig } from './harness.js';

/**
 * The same test on the in-process bus and on a NATS bus (a server of its own for the file):
 * `body` gets the extra `run` arguments, none for in process, `--bus URL --bus-project P
 * --instance a` with a new project per call for NATS.
 */
export function onBothBuses(suite: string, title: string, body: (busArgs: string[]) => Promise<void>): void {
  describe(`${suite}, in-process bus`, () => {
    it(title, () => body([]));
  });
  describeNats(`${suite}, NATS bus`, () => {
    let server: NatsServer | null = null;
    beforeAll(async () => {
      server = await startNats();
    });
    afterAll(async () => {
      await server?.stop();
    });
    it(title, () => body(['--bus', (server as NatsServer).url, '--bus-project', uniqueName('both'), '--instance', 'a']));
  });
}

let counter = 0;
/** A project or instance name no other test (or earlier run on a reused server) has used. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}x${counter}x${Date.now().toString(36)}`;
}

export interface Instance {
  readonly name: string;
  readonly file: string;
  readonly dir: string;
  readonly run: CliRun;
}

const started = new Set<Instance>();

/** Starts `run` for `toml` as instance `name` of `project`; resolves once it is connected and `pods` pods started. */
export async function startInstance(server: { url: string } | NatsServer, project: string, name: string, toml: string, pods: number, extra: string[] = [], env: Record<string, string> = {}): Promise<Instance> {
  const dir = tempDir('orch-nats-e2e-');
  const file = writeConfig(toml, dir);
  const run = runCli(['run', file, '--bus', server.url, '--bus-project', project, '--instance', name, '--no-timestamps', ...extra], { env });
  const instance = { name, file, dir, run };
  started.add(instance);
  await run.waitFor(/connected to the NATS server/, 1, 20_000);
  if (pods > 0) await run.waitFor(/ started \(pid \d+\)$/, pods, 20_000);
  await until(() => existsSync(join(dir, '.orchestrator', 'control.sock')), 10_000, `${name}'s control socket exists`);
  return instance;
}

/** Ctrl-C for every instance still running (SIGKILL after 20 s), then waits until their pods are gone. */
export async function stopInstances(): Promise<void> {
  const all = [...started];
  started.clear();
  await Promise.all(
    all.map(async ({ run, name }) => {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.signal('SIGINT');
        await run.exit(20_000).catch(async () => {
          run.signal('SIGKILL');
          await run.exit();
        });
      }
      await until(() => processesWithEnv('ORCHESTRATOR_INSTANCE', name).length === 0, 15_000, `${name}'s pods are gone`);
    }),
  );
}

/** Polls an async condition (a CLI verb's answer) until it holds; rejects after `ms`. */
export async function eventually(predicate: () => Promise<boolean>, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${typeof what === 'string' ? what : what()}`);
  }
}

/** `orchestrator <args> -f <file> -o json` of an instance, parsed. */
export async function jsonOf<T>(instance: Instance, args: string[]): Promise<T> {
  const result = await verb([...args, '-f', instance.file, '-o', 'json']);
  if (result.code !== 0) throw new Error(`orchestrator ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface Delivery {
  readonly data: string;
  readonly id: string;
  readonly attempt: number;
  readonly pod: string;
  readonly instance: string;
  readonly held: number;
}

/** The deliveries nats-job-worker.mjs recorded in `file` (none when it does not exist yet). */
export function deliveries(file: string): Delivery[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Delivery);
}
