import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../util/logger.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlServer } from './server.js';
import type { ControlTarget } from './target.js';
import { uiRoute } from './ui-route.js';
import { lookupUiPath, uiFilePath, uiFiles } from './ui-static.js';

describe('lookupUiPath (pure path rules)', () => {
  it.each([
    ['', { type: 'index' }],
    ['t/worker', { type: 'index' }],
    ['p/worker-2', { type: 'index' }],
    ['topics', { type: 'index' }],
    ['assets/app.js', { type: 'asset', name: 'app.js', contentType: 'text/javascript; charset=utf-8' }],
    ['assets/app.css', { type: 'asset', name: 'app.css', contentType: 'text/css; charset=utf-8' }],
    ['assets/logo.SVG', { type: 'asset', name: 'logo.SVG', contentType: 'image/svg+xml' }],
    ['assets/blob', { type: 'asset', name: 'blob', contentType: 'application/octet-stream' }],
  ])('/ui/%s → %j', (path, expected) => {
    expect(lookupUiPath(path)).toEqual(expected);
  });

  it.each([
    '..%2f..%2fpackage.json',
    '%2e%2e/%2e%2e/package.json',
    'assets/..%2fcli%2fmain.js',
    'assets/%2e%2e',
    'assets/.hidden',
    'assets/a/b.js',
    'assets/',
    'assets/a%00.js',
    'assets/a%5c..%5cx.js',
    't/%E0%A4%A',
    './assets/app.js',
  ])('/ui/%s is not found', (path) => {
    expect(lookupUiPath(path).type).toBe('not-found');
  });

  it('uiFilePath stays inside the root', () => {
    expect(uiFilePath('/srv/dist/ui', { type: 'index' })).toBe('/srv/dist/ui/index.html');
    expect(uiFilePath('/srv/dist/ui', { type: 'asset', name: 'app.js', contentType: '' })).toBe('/srv/dist/ui/assets/app.js');
    expect(() => uiFilePath('/srv/dist/ui', { type: 'asset', name: '../../../etc/passwd', contentType: '' })).toThrow(/no such dashboard file/);
  });
});

describe('uiFiles behind the control server (raw paths, as a hostile client sends them)', () => {
  let server: ControlServer;
  let port = 0;
  const reads: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ui-static-'));
  const root = join(dir, 'ui');

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>page</p>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.json'), '{"secret":true}');
    const serve = uiFiles({ root, readFile: (path) => (reads.push(path), readFile(path)) });
    server = new ControlServer({
      target: {} as ControlTarget,
      socketPath: join(dir, '.orchestrator', 'control.sock'),
      tcp: { host: '127.0.0.1', port: 0, token: 'ui-static-token' },
      extraRoutes: [uiRoute(serve)],
      logger: silentLogger,
    });
    await server.start();
    port = server.tcpAddress?.port ?? 0;
  });
  afterAll(() => server.close());

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

  it('serves an asset with its content type, nosniff, the CSP and no referrer, without a token', async () => {
    const res = await get('/ui/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
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

  it.each(['/ui/../secret.json', '/ui/%2e%2e/secret.json', '/ui/..%2fsecret.json', '/ui/assets/..%2f..%2fsecret.json', '/ui/assets/%2e%2e%2f%2e%2e%2fsecret.json', '/ui/assets/nope.js'])(
    '%s is 404 and never file contents',
    async (path) => {
      const res = await get(path);
      // The URL parser resolves `..` and `%2e%2e` segments first: such a path leaves /ui/ and is an
      // API path like any other (401 without a token); the rest reach the files and are refused.
      expect(res.status).toBe(/^\/ui\/(?:\.\.|%2e%2e)\//.test(path) ? 401 : 404);
      expect(res.body).not.toContain('"secret":true');
    },
  );

  it('reads only inside the root, once per request (a rebuild is served without a restart)', async () => {
    reads.length = 0;
    await get('/ui/');
    writeFileSync(join(root, 'index.html'), '<!doctype html><p>rebuilt</p>');
    expect((await get('/ui/t/worker')).body).toContain('rebuilt');
    expect(reads).toEqual([join(root, 'index.html'), join(root, 'index.html')]);
  });

  it('says to build when the dashboard is missing (503 UI_NOT_BUILT)', async () => {
    const serve = uiFiles({ root: join(dir, 'absent') });
    let status = 0;
    let body = '';
    const res = {
      headersSent: false,
      setHeader: () => undefined,
      writeHead: (s: number) => ((status = s), res),
      end: (text: string) => void (body = text),
    };
    await serve({} as never, res as never, '');
    expect(status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'UI_NOT_BUILT', message: expect.stringContaining('npm run build') } });
  });
});
