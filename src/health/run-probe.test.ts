import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runProbe } from './run-probe.js';

/** Real sockets and processes on 127.0.0.1: these check the runners, not the Prober's logic. */

const base = { timeoutMs: 2000, cwd: process.cwd(), env: {} };
const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'probe-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Polls `condition` until it holds or `ms` pass; a latch, not a sleep. */
async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('http', () => {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    if (req.url === '/hang') return;
    const status = Number(req.url?.slice(1) || 200);
    res.writeHead(status, { location: '/' }).end('body');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let url = '';
  beforeAll(async () => {
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });

  test('2xx and 3xx pass, other statuses fail with the status', async () => {
    expect(await runProbe({ kind: 'http', url: `${url}/200` }, base)).toEqual({ ok: true });
    expect(await runProbe({ kind: 'http', url: `${url}/204` }, base)).toEqual({ ok: true });
    expect(await runProbe({ kind: 'http', url: `${url}/302` }, base)).toEqual({ ok: true });
    expect(await runProbe({ kind: 'http', url: `${url}/404` }, base)).toEqual({ ok: false, reason: 'HTTP 404' });
    expect(await runProbe({ kind: 'http', url: `${url}/503` }, base)).toEqual({ ok: false, reason: 'HTTP 503' });
  });

  test('connections are closed after each check (no keep-alive sockets pile up)', async () => {
    for (let i = 0; i < 5; i++) await runProbe({ kind: 'http', url: `${url}/200` }, base);
    await eventually(() => sockets.size === 0);
  });

  test('a server that does not answer in time fails with a timeout and the socket is released', async () => {
    expect(await runProbe({ kind: 'http', url: `${url}/hang` }, { ...base, timeoutMs: 150 })).toEqual({ ok: false, reason: 'timed out after 150ms' });
    await eventually(() => sockets.size === 0);
  });

  test('a refused connection fails with the error', async () => {
    const port = await closedPort();
    expect(await runProbe({ kind: 'http', url: `http://127.0.0.1:${port}/` }, base)).toEqual({ ok: false, reason: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  test('aborting ends the check at once', async () => {
    const controller = new AbortController();
    const pending = runProbe({ kind: 'http', url: `${url}/hang` }, { ...base, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
    await eventually(() => sockets.size === 0);
  });
});

describe('tcp', () => {
  test('an open port passes, a closed one fails with the error', async () => {
    const server = net.createServer((socket) => socket.destroy());
    const port = await listen(server);
    try {
      expect(await runProbe({ kind: 'tcp', host: '127.0.0.1', port }, base)).toEqual({ ok: true });
    } finally {
      server.close();
    }
    const closed = await closedPort();
    expect(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: closed }, base)).toEqual({ ok: false, reason: `connect ECONNREFUSED 127.0.0.1:${closed}` });
  });

  test('an already aborted signal does not connect', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await runProbe({ kind: 'tcp', host: '127.0.0.1', port: 1 }, { ...base, signal: controller.signal })).toEqual({ ok: false, reason: 'aborted' });
  });
});

describe('exec', () => {
  test('exit 0 passes; a failure names the exit code and the last output line', async () => {
    expect(await runProbe({ kind: 'exec', command: ['sh', '-c', 'exit 0'] }, base)).toEqual({ ok: true });
    expect(await runProbe({ kind: 'exec', command: ['sh', '-c', 'exit 1'] }, base)).toEqual({ ok: false, reason: 'exited with code 1' });
    expect(await runProbe({ kind: 'exec', command: ['sh', '-c', 'echo starting; echo "db not up" >&2; exit 2'] }, base)).toEqual({ ok: false, reason: 'exited with code 2: db not up' });
  });

  test('runs in cwd with env added to the inherited environment', async () => {
    const script = 'test "$PROBE_X" = 1 && test "$(pwd)" = "$1" && test -n "$PATH"';
    expect(await runProbe({ kind: 'exec', command: ['sh', '-c', script, 'sh', tmp] }, { ...base, cwd: tmp, env: { PROBE_X: '1' } })).toEqual({ ok: true });
  });

  test('a missing program fails with a reason', async () => {
    const result = await runProbe({ kind: 'exec', command: ['definitely-not-a-program-xyz'] }, base);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^cannot run "definitely-not-a-program-xyz": .*ENOENT/);
  });

  test('a timeout kills the whole process group, children included', async () => {
    const pidFile = path.join(tmp, 'pgid');
    const script = `echo $$ > ${pidFile}; sleep 30 & sleep 30`;
    const started = Date.now();
    expect(await runProbe({ kind: 'exec', command: ['sh', '-c', script] }, { ...base, timeoutMs: 300 })).toEqual({ ok: false, reason: 'timed out after 300ms' });
    expect(Date.now() - started).toBeLessThan(2000);
    const pgid = Number(readFileSync(pidFile, 'utf8').trim());
    const groupAlive = (): boolean => {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually(() => !groupAlive());
  });
});
