import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterEach, expect, it } from 'vitest';
import { describeNats, natsServerBinary, startCluster, startNats, type NatsServer } from './server.js';

const started: NatsServer[] = [];

describeNats('test nats-server helper', () => {
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
  });

  it('finds the binary on PATH or in /usr/sbin', () => {
    expect(natsServerBinary()).toMatch(/\/nats-server$/);
  });

  it('starts on a free port, restarts on the same port with the same file store, and dies on kill9', async () => {
    const server = await startNats();
    started.push(server);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KEEP', subjects: ['keep'] });
    const js = jsm.jetstream();
    await js.publish('keep', 'y');
    const reconnected = (async () => {
      for await (const s of nc.status()) if (s.type === 'reconnect') return;
    })();
    await server.restart();
    await reconnected;
    expect((await jsm.streams.info('KEEP')).state.messages).toBe(1);
    await nc.close();
    server.kill9();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
  });

  it('starts a 3-node cluster that takes a stream with 3 replicas', async () => {
    const cluster = await startCluster(3);
    started.push(...cluster.nodes);
    expect(new Set(cluster.urls).size).toBe(3);
    const nc = await connect({ servers: cluster.urls });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: 'R3', subjects: ['r3'], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);
    await nc.close();
  });
});
