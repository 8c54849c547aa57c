import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError } from './http.js';
import { createUiStatic, lookupUiPath, uiFilePath } from './ui-static.js';

describe('lookupUiPath (pure path rules)', () => {
  it.each([
    ['/ui', { type: 'index' }],
    ['/ui/', { type: 'index' }],
    ['/ui/t/worker', { type: 'index' }],
    ['/ui/p/worker-2', { type: 'index' }],
    ['/ui/topics', { type: 'index' }],
    ['/ui/assets/app.js', { type: 'asset', name: 'app.js', contentType: 'text/javascript; charset=utf-8' }],
    ['/ui/assets/app.css', { type: 'asset', name: 'app.css', contentType: 'text/css; charset=utf-8' }],
    ['/ui/assets/logo.SVG', { type: 'asset', name: 'logo.SVG', contentType: 'image/svg+xml' }],
    ['/ui/assets/blob', { type: 'asset', name: 'blob', contentType: 'application/octet-stream' }],
  ])('%s → %j', (path, expected) => {
    expect(lookupUiPath(path)).toEqual(expected);
  });

  it.each([
    '/uix',
    '/v1/pods',
    '/ui/..%2f..%2fpackage.json',
    '/ui/%2e%2e/%2e%2e/package.json',
    '/ui/assets/..%2fcli%2fmain.js',
    '/ui/assets/%2e%2e',
    '/ui/assets/.hidden',
    '/ui/assets/a/b.js',
    '/ui/assets/',
    '/ui/assets/a%00.js',
    '/ui/assets/a%5c..%5cx.js',
    '/ui/t/%E0%A4%A',
    '/ui/./assets/app.js',
  ])('%s is not found', (path) => {
    expect(lookupUiPath(path).type).toBe('not-found');
  });

  it('uiFilePath stays inside the root', () => {
    expect(uiFilePath('/srv/dist/ui', { type: 'index' })).toBe('/srv/dist/ui/index.html');
    expect(uiFilePath('/srv/dist/ui', { type: 'asset', name: 'app.js', contentType: '' })).toBe('/srv/dist/ui/assets/app.js');
    expect(() => uiFilePath('/srv/dist/ui', { type: 'asset', name: '../../../etc/passwd', contentType: '' })).toThrow(/no such dashboard file/);
  });
});

describe('createUiStatic over HTTP (raw paths, as a hostile client sends them)', () => {
  let server: Server;
  let port = 0;
  const reads: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ui-static-'));
  const root = join(dir, 'ui');

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>page</p>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.json'), '{"secret":true}');
    const { readFile } = await import('node:fs/promises');
    const handle = createUiStatic({ root, readFile: (path) => (reads.push(path), readFile(path)) });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://orchestrator');
      handle({ req, res, url }).catch((error: unknown) => sendError(res, error));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, method = 'GET') =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves an asset with its content type, nosniff, the CSP and no referrer', async () => {
    const res = await get('/ui/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'self'/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers index.html for client-side routes, byte for byte the same', async () => {
    const page = await get('/ui/');
    const deep = await get('/ui/p/worker-2?q=error');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(deep.status).toBe(200);
    expect(deep.body).toBe(page.body);
  });

  it.each(['/ui/../secret.json', '/ui/%2e%2e/secret.json', '/ui/..%2fsecret.json', '/ui/assets/..%2f..%2fsecret.json', '/ui/assets/nope.js'])(
    '%s is 404 and never file contents',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('"secret":true');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    },
  );

  it('reads only inside the root, once per request (a rebuild is served without a restart)', async () => {
    reads.length = 0;
    await get('/ui/');
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>rebuilt</p>');
    expect((await get('/ui/t/worker')).body).toContain('rebuilt');
    expect(reads).toEqual([join(root, 'index.html'), join(root, 'index.html')]);
  });

  it('refuses other methods with 405; HEAD has headers and no body', async () => {
    expect((await get('/ui/', 'POST')).status).toBe(405);
    const head = await get('/ui/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length));
  });

  it('says to build when the dashboard is missing', async () => {
    const handle = createUiStatic({ root: join(dir, 'absent') });
    let thrown: unknown;
    const res = { writeHead: () => res, end: () => res } as never;
    await handle({ req: { method: 'GET' } as never, res, url: new URL('http://x/ui/') }).catch((e: unknown) => (thrown = e));
    expect(thrown).toMatchObject({ status: 503, code: 'UI_NOT_BUILT', message: expect.stringContaining('npm run build') });
  });
});
