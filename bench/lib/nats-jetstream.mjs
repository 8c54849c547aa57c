// A JetStream-enabled nats-server for the NATS bus rows (the bench's shared server runs without
// JetStream): one per measurement, on a free loopback port with a temporary store.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsAvailable, run, waitUntil } from './harness.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** { url, stop() }, or null without nats-server. */
export async function startJetStream() {
  const bin = natsAvailable();
  if (bin === null) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-js-'));
  let ready = false;
  const proc = run(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { timeoutMs: 30 * 60 * 1000 });
  proc.child.stderr.on('data', (c) => {
    if (c.toString().includes('Server is ready')) ready = true;
  });
  await waitUntil(() => ready, 10000, 'nats-server -js');
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
