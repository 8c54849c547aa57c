/**
 * The TCP listener's browser-facing rules over real sockets, on a fake target: which requests
 * need the token, the Host and Origin checks, no CORS, and the `/ui/` hook added only with --ui.
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../util/logger.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlServer } from './server.js';
import type { ControlTarget } from './target.js';
import { uiRoute } from './ui-route.js';

const TOKEN = 'ui-token-0123456789';
const target = {
  status: (viaSocket: boolean) => ({ pid: 1, config: 'tasks.toml', startedAt: 0, stopping: false, ui: { url: viaSocket ? 'u#token=t' : 'u' } }),
  pods: () => [],
} as unknown as ControlTarget;

let server: ControlServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(ui: boolean, served: string[] = []): Promise<{ port: number; socketPath: string }> {
  const socketPath = join(mkdtempSync(join(tmpdir(), 'orch-ui-')), '.orchestrator', 'control.sock');
  const route = uiRoute((_req, res, path) => {
    served.push(path);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html>');
  });
  server = new ControlServer({ target, socketPath, tcp: { host: '127.0.0.1', port: 0, token: TOKEN }, logger: silentLogger, ...(ui ? { extraRoutes: [route] } : {}) });
  await server.start();
  return { port: server.tcpAddress!.port, socketPath };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(to: { port: number } | { socketPath: string }, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const where = 'port' in to ? { host: '127.0.0.1', port: to.port } : { socketPath: to.socketPath };
    const req = request({ ...where, method, path, headers, setHost: !('host' in headers) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

const code = (a: Answer): string => `${a.status} ${(JSON.parse(a.body) as { error?: { code: string } }).error?.code ?? ''}`.trim();
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('TCP listener security', () => {
  it('serves /ui/ without a token (with CSP, no-referrer, nosniff) but every API route only with it', async () => {
    const served: string[] = [];
    const { port } = await start(true, served);
    const page = await send({ port }, 'GET', '/ui/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'(;|$)/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await send({ port }, 'GET', '/ui/p/worker-2')).body).toBe(page.body);
    expect(served).toEqual(['', 'p/worker-2']);
    expect(code(await send({ port }, 'GET', '/v1/pods'))).toBe('401 UNAUTHORIZED');
    expect(code(await send({ port }, 'GET', '/metrics'))).toBe('401 UNAUTHORIZED');
    expect(code(await send({ port }, 'GET', '/v1/nothing'))).toBe('401 UNAUTHORIZED');
    expect((await send({ port }, 'GET', '/v1/pods', bearer)).status).toBe(200);
  });

  it('refuses a foreign Host with 403 FORBIDDEN_HOST even with the token; loopback names pass', async () => {
    const { port } = await start(true);
    expect(code(await send({ port }, 'GET', '/v1/pods', { ...bearer, host: `evil.example:${port}` }))).toBe('403 FORBIDDEN_HOST');
    expect(code(await send({ port }, 'GET', '/ui/', { host: `evil.example:${port}` }))).toBe('403 FORBIDDEN_HOST');
    expect((await send({ port }, 'GET', '/v1/pods', { ...bearer, host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin with 403 FORBIDDEN_ORIGIN; its own origin passes', async () => {
    const { port } = await start(true);
    expect(code(await send({ port }, 'POST', '/v1/pods/w-0/kill', { ...bearer, origin: 'http://evil.example' }))).toBe('403 FORBIDDEN_ORIGIN');
    expect((await send({ port }, 'GET', '/v1/pods', { ...bearer, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('sends no CORS headers, ever, and answers OPTIONS with 405', async () => {
    const { port } = await start(true);
    const answers = [
      await send({ port }, 'OPTIONS', '/v1/pods', { ...bearer, origin: `http://127.0.0.1:${port}`, 'access-control-request-method': 'POST' }),
      await send({ port }, 'GET', '/v1/pods', bearer),
      await send({ port }, 'GET', '/ui/'),
    ];
    expect(code(answers[0]!)).toBe('405 METHOD_NOT_ALLOWED');
    for (const a of answers) expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('without --ui, /ui/ is 404 (with the token) and the UI handler is never called', async () => {
    const served: string[] = [];
    const { port } = await start(false, served);
    expect(code(await send({ port }, 'GET', '/ui/', bearer))).toBe('404 NOT_FOUND');
    expect(code(await send({ port }, 'GET', '/ui/'))).toBe('401 UNAUTHORIZED');
    expect(served).toEqual([]);
  });

  it('gives the status URL with its token over the Unix socket only, where no Host check applies', async () => {
    const { port, socketPath } = await start(true);
    expect(JSON.parse((await send({ socketPath }, 'GET', '/v1/status', { host: 'anything' })).body).ui).toEqual({ url: 'u#token=t' });
    expect(JSON.parse((await send({ port }, 'GET', '/v1/status', bearer)).body).ui).toEqual({ url: 'u' });
  });
});
