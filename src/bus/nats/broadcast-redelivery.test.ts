/**
 * Broadcast over JetStream is at least once: a delivery whose ack reaches the server after its
 * ack_wait (the lease) is sent again. A pod that was already given that stream sequence must not
 * get it twice. Real nats-server, real time; the stall is this process's event loop blocked (as on
 * a loaded machine) until the server has actually redelivered, so the case does not depend on timing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeNats, startNats, type NatsServer } from '../../../test/nats/server.js';
import { until } from '../../../test/nats/wait.js';
import { taskSpec } from '../transport.case.js';
import { TestInstances } from './instances.case.js';
import { projectNames } from './names.js';

const FIXTURE = fileURLToPath(new URL('../../../test/nats/fixture-await-redelivery.mjs', import.meta.url));

let server: NatsServer;
const instances = new TestInstances('bcast', () => server.url);

describeNats('NATS broadcast redelivery', () => {
  beforeAll(async () => {
    server = await startNats();
  });
  afterEach(async () => {
    await instances.closeAll();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a pod gets each message once, in order, when its acks reach the server only after ack_wait', async () => {
    const project = instances.project();
    const a = await instances.start(project, 'a', [taskSpec('c', { subscribe: ['cfg'] })], { leaseMs: 300 });
    for (let i = 0; i < 40; i++) a.bus.publish('cfg', String(i), null);
    await a.transport.settled(); // all 40 stored, none pulled yet (no pod)
    const names = projectNames(project, 'a');
    let stall: ReturnType<typeof spawnSync> | null = null;
    const pod = a.ready('c-1', 'c');
    pod.onWrite = () => {
      // The first write: the acks of all 40 (sent with this turn's writes) are held up until the
      // server has redelivered some of them to the pull that still has credit.
      stall ??= spawnSync(process.execPath, [FIXTURE, server.url, names.taskStream('c'), names.durable('c', 'broadcast'), '40'], { encoding: 'utf8', timeout: 40_000 });
    };
    await until(() => pod.chunks.length >= 40, 'all 40 delivered');
    expect(stall).toMatchObject({ status: 0, stderr: '' });
    await a.transport.settled();
    expect(pod.data()).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
    expect(a.events).toEqual([]);
  });
});
