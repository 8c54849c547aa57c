/**
 * examples/nats as its README runs it: the same tasks.toml as instances a and b (each from its own
 * copy of the directory) on one server; work from both producers is split, and a kill -9 of a
 * moves the jobs its workers held to b with attempt 2.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNats, type NatsServer, startNats } from '../nats/server.js';
import { processesWithEnv, ROOT, runCli, tempDir, until } from './harness.js';
import { stopInstances, uniqueName } from './nats-harness.js';

let server: NatsServer;

describeNats('examples/nats', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterAll(async () => {
    await stopInstances();
    await server?.stop();
  }, 60_000);

  it('two instances share the work, and a killed instance\'s jobs are taken over', async () => {
    const copies = [tempDir(), tempDir()].map((dir) => {
      // Without a developer's own .orchestrator state (a socket cannot be copied anyway).
      cpSync(join(ROOT, 'examples', 'nats'), dir, { recursive: true, filter: (source) => !source.includes('.orchestrator') });
      return join(dir, 'tasks.toml');
    });
    // A project of its own, so earlier runs on this server do not leave jobs behind.
    const env = { NATS_URL: server.url };
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    const project = uniqueName('demo');
    const first = runCli(['run', copies[0]!, '--instance', a, '--bus-project', project, '--no-timestamps'], { env });
    await first.waitFor(new RegExp(`worker-\\d\\s+\\| worker-\\d@${a} working on ${a}-1$`), 1, 20_000);
    const second = runCli(['run', copies[1]!, '--instance', b, '--bus-project', project, '--no-timestamps'], { env });
    await second.waitFor(new RegExp(`\\| worker-\\d@${b} working on ${a}-\\d+$`), 1, 30_000);
    first.signal('SIGKILL');
    const taken = await second.waitFor(new RegExp(`\\| worker-\\d@${b} working on ${a}-\\d+ \\(attempt 2: taken over\\)$`), 1, 20_000);
    expect(taken.length).toBeGreaterThanOrEqual(1);
    await until(() => processesWithEnv('ORCHESTRATOR_INSTANCE', a).length === 0, 15_000, `${a}'s pods are reaped`);
    second.signal('SIGINT');
    expect((await second.exit()).code).toBe(130);
  }, 120_000);
});
