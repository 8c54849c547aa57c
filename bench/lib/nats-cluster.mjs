// A 3-node JetStream cluster on free loopback ports with temporary stores (the leader-kill row),
// and the node that leads a stream.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsAvailable, run, waitUntil } from './harness.mjs';
import { freePort } from './nats-jetstream.mjs';

const READY_MS = 20000;

/** { urls, nodes: [{ name, url, kill9() }], stop() }; resolves once a stream with 3 replicas can be placed. */
export async function startCluster() {
  const bin = natsAvailable();
  const ports = [await freePort(), await freePort(), await freePort()];
  const routePorts = [await freePort(), await freePort(), await freePort()];
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const dir = mkdtempSync(join(tmpdir(), 'bench-cluster-'));
  const nodes = ports.map((port, i) => {
    let log = '';
    const name = `n${i + 1}`;
    const proc = run(bin, ['-a', '127.0.0.1', '-p', String(port), '-n', name, '-js', '-sd', join(dir, name), '--cluster_name', 'bench', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes], { timeoutMs: 30 * 60 * 1000 });
    proc.child.stderr.on('data', (c) => {
      log = (log + c.toString()).slice(-20000);
    });
    return { name, url: `nats://127.0.0.1:${port}`, proc, log: () => log, kill9: () => proc.kill('SIGKILL') };
  });
  const stop = async () => {
    for (const n of nodes) n.proc.kill('SIGKILL');
    for (const n of nodes) await n.proc.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => nodes.every((n) => n.log().includes('Server is ready')), READY_MS, 'cluster nodes ready');
    await placeable(nodes.map((n) => n.url));
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: nodes.map((n) => n.url), nodes, stop };
}

/** Streams can be placed once the metadata leader knows every peer: a probe R3 stream is retried until taken. */
async function placeable(urls) {
  const nc = await connect({ servers: urls });
  try {
    const deadline = Date.now() + READY_MS;
    for (;;) {
      try {
        // JetStream answers only once the metadata leader is elected (~0.4 s after start).
        const jsm = await jetstreamManager(nc, { timeout: 1000 });
        await jsm.streams.add({ name: 'BENCH_PROBE', subjects: ['bench-probe'], num_replicas: 3 });
        await jsm.streams.delete('BENCH_PROBE');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    await nc.close();
  }
}

/** The name of the node leading `stream` (n1, n2, n3). */
export async function streamLeader(urls, stream) {
  const nc = await connect({ servers: urls });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(stream)).cluster?.leader;
  } finally {
    await nc.close();
  }
}
