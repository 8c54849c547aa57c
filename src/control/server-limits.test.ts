/**
 * The control server's connection limits, over real sockets with shrunk limits (the defaults are
 * the same code with bigger numbers): connection cap, header / body deadlines, early close after
 * 401 / 413, the Bearer scheme's case, and the token file.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../util/logger.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionLimits } from './limits.js';
import { openRaw, pump, within, type Raw } from './raw-connection.case.js';
import { ControlServer } from './server.js';
import type { ControlTarget } from './target.js';

const TOKEN = 'sesame-0123456789';
const relaxed: ConnectionLimits = { maxConnections: 100, headersTimeoutMs: 60_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 60_000, checkIntervalMs: 100 };
const target = { status: () => ({ pid: 1, config: 'tasks.toml', startedAt: 0, stopping: false }) } as unknown as ControlTarget;

let server: ControlServer | null = null;
const opened: Raw[] = [];
afterEach(async () => {
  for (const r of opened.splice(0)) r.socket.destroy();
  await server?.close();
  server = null;
});

async function track(raw: Promise<Raw>): Promise<Raw> {
  opened.push(await raw);
  return opened.at(-1)!;
}

const open = (port: number): Promise<Raw> => track(openRaw(port));

async function start(tcp: Partial<ConnectionLimits> = {}, extra: { tokenFile?: string } = {}): Promise<{ port: number; warnings: string[]; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-limits-'));
  const warnings: string[] = [];
  const logger = createLogger({ level: 'warn', sink: (record) => void warnings.push(record.msg ?? '') });
  server = new ControlServer({
    target,
    socketPath: join(dir, '.orchestrator', 'control.sock'),
    tcp: { host: '127.0.0.1', port: 0, token: TOKEN, ...extra },
    logger,
    limits: { tcp: { ...relaxed, ...tcp } },
  });
  await server.start();
  return { port: server.tcpAddress!.port, warnings, dir };
}

async function get(port: number, authorization: string): Promise<string> {
  const raw = await track(openRaw(port));
  raw.socket.write(`GET /v1/status HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: ${authorization}\r\nconnection: close\r\n\r\n`);
  await within(raw.closed, 5000, 'the answer');
  return raw.received();
}

describe('control server limits', () => {
  it('closes connections beyond the cap at once, keeps the others, and says so once', async () => {
    const { port, warnings } = await start({ maxConnections: 4 });
    const kept: Raw[] = [];
    for (let i = 0; i < 4; i++) kept.push(await open(port));
    const extra: Raw[] = [];
    for (let i = 0; i < 3; i++) extra.push(await open(port));
    await within(Promise.all(extra.map((r) => r.closed)), 5000, 'the connections over the cap to be closed');
    expect(extra.map((r) => r.received())).toEqual(['', '', '']);
    // The first four were accepted before the refused ones (the accept queue is FIFO) and are still open.
    expect(kept.map((r) => r.isClosed())).toEqual([false, false, false, false]);
    expect(warnings).toEqual(['control API (TCP): refused a connection: 4 connections are open, the limit']);
    kept[0]!.socket.destroy();
    let answer = '';
    for (const deadline = Date.now() + 5000; !answer.startsWith('HTTP/1.1 200'); ) {
      if (Date.now() > deadline) throw new Error('a freed slot was never reused');
      answer = await get(port, `Bearer ${TOKEN}`);
    }
    expect(kept.slice(1).map((r) => r.isClosed())).toEqual([false, false, false]);
  });

  it('answers 408 and closes a connection that sends nothing, or its headers byte by byte', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const idle = await open(port);
    const loris = await open(port);
    const request = `GET /v1/status HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TOKEN}\r\nx-padding: ${'p'.repeat(500)}\r\n\r\n`;
    let sent = 0;
    const drip = setInterval(() => {
      if (!loris.isClosed() && sent < request.length) loris.socket.write(request[sent++]!);
    }, 20);
    try {
      await within(Promise.all([idle.closed, loris.closed]), 5000, 'both to be closed');
    } finally {
      clearInterval(drip);
    }
    expect(idle.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(loris.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(request.length);
  });

  it('answers 408 and closes a request whose body trickles in', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slow = await open(port);
    slow.socket.write(`POST /v1/publish HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TOKEN}\r\ncontent-length: 2000\r\n\r\n`);
    let sent = 0;
    const drip = setInterval(() => {
      if (!slow.isClosed() && sent < 2000) slow.socket.write('a', () => (sent += 1));
    }, 20);
    try {
      await within(slow.closed, 5000, 'the slow request to be closed');
    } finally {
      clearInterval(drip);
    }
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(2000);
  });

  it.each([
    ['a wrong token', 'Bearer nope', false, 401],
    ['a right token and an announced body over 1 MiB', `Bearer ${TOKEN}`, false, 413],
    ['a right token and a chunked body growing past 1 MiB', `Bearer ${TOKEN}`, true, 413],
  ])('answers %s, then closes without reading the body', async (_name, authorization, chunked, status) => {
    const { port } = await start();
    const total = 32 * 1024 * 1024; // well past what the kernel buffers on loopback (a few MiB)
    const raw = await open(port);
    raw.socket.write(`POST /v1/publish HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: ${authorization}\r\n${chunked ? 'transfer-encoding: chunked' : `content-length: ${total}`}\r\n\r\n`);
    const written = await within(pump(raw.socket, total, chunked), 10_000, 'the server to close the connection');
    await raw.closed;
    expect(raw.received()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(raw.received()).toMatch(/\r\nconnection: close\r\n/i);
    expect(written).toBeLessThan(total);
  });

  it.each([
    ['a wrong token and a 64 KiB body over TCP', 'tcp', 'Bearer nope', 64 * 1024, 401],
    // A Unix socket buffers far less than loopback TCP: without the discard the writer gets EPIPE.
    ['a 4 MiB body on the Unix socket', 'unix', '', 4 * 1024 * 1024, 413],
  ])('answers %s only after discarding it, so a client that writes it whole still reads the answer', async (_name, via, authorization, total, status) => {
    const { port, dir } = await start();
    const raw = await track(openRaw(via === 'unix' ? join(dir, '.orchestrator', 'control.sock') : port));
    let writeError: Error | null = null;
    raw.socket.on('error', (error) => (writeError = error));
    raw.socket.write(`POST /v1/publish HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${authorization === '' ? '' : `authorization: ${authorization}\r\n`}content-length: ${total}\r\n\r\n`);
    const written = await within(pump(raw.socket, total, false), 10_000, 'the body to be written');
    await within(raw.closed, 10_000, 'the server to close the connection');
    expect({ written, writeError }).toEqual({ written: total, writeError: null });
    expect(raw.received()).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [^]*\\r\\nconnection: close\\r\\n`, 'i'));
  });

  it('accepts the Bearer scheme in any case, and only the exact token', async () => {
    const { port } = await start();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect(await get(port, `${scheme} ${TOKEN}`)).toMatch(/^HTTP\/1\.1 200 /);
    for (const wrong of [`Basic ${TOKEN}`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN}x`, 'Bearer']) expect(await get(port, wrong)).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('writes the token file 0600 with the bound address, and removes it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-token-'));
    const tokenFile = join(dir, 'api-token');
    writeFileSync(tokenFile, 'left over by a crashed run', { mode: 0o644 });
    const { port } = await start({}, { tokenFile });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toEqual({ host: '127.0.0.1', port, token: TOKEN });
    await server!.close();
    server = null;
    expect(existsSync(tokenFile)).toBe(false);
  });
});
