import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './errors.js';

/**
 * The dashboard's static files: `dist/ui/` (index.html, assets/*), built at `npm run build` and read
 * from disk per request, so the orchestrator never loads UI code and a rebuild needs no restart.
 * They hold no data, so they need no token; every `/v1` call the page makes carries one.
 */

/** What a `/ui` path means. Pure: decided from the path alone, before any file is touched. */
export type UiLookup =
  | { readonly type: 'asset'; readonly name: string; readonly contentType: string }
  | { readonly type: 'index' }
  | { readonly type: 'not-found'; readonly reason: string };

/** The dashboard's prefix; every other path belongs to the API. */
export const UI_PREFIX = '/ui';

/** Asset names are flat and plain: the build writes nothing else, and nothing else can escape `assets/`. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Headers on every `/ui` answer. Log lines and payloads shown by the page are untrusted text: the CSP
 * allows only our own scripts and styles (the bundle needs no inline script) and no framing
 * (`default-src` does not cover `frame-ancestors`), so injected markup could neither run nor
 * clickjack the buttons.
 */
export const UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Read from disk per request: a rebuilt bundle is picked up on reload.
  'cache-control': 'no-cache',
};

export function isUiPath(pathname: string): boolean {
  return pathname === UI_PREFIX || pathname.startsWith(`${UI_PREFIX}/`);
}

/**
 * Maps a request path (as the URL parser left it: dot segments resolved, percent escapes kept) to
 * a file. `/ui/assets/<name>` is that asset; any other `/ui/...` is the page itself, for client-side
 * routes (`/ui/t/worker`). A path that still escapes once decoded (`..%2f`), or holds a NUL or a
 * backslash, is not found.
 */
export function lookupUiPath(pathname: string): UiLookup {
  if (!isUiPath(pathname)) return { type: 'not-found', reason: 'not under /ui' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { type: 'not-found', reason: 'bad percent escape' };
  }
  if (/[\0\\]/.test(decoded)) return { type: 'not-found', reason: 'NUL or backslash' };
  const segments = decoded.slice(UI_PREFIX.length).split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { type: 'not-found', reason: 'dot segment' };
  if (segments[0] !== 'assets') return { type: 'index' };
  const name = segments[1];
  if (segments.length !== 2 || name === undefined || !ASSET_NAME.test(name)) return { type: 'not-found', reason: 'not a plain asset name' };
  const dot = name.lastIndexOf('.');
  const contentType = dot > 0 ? CONTENT_TYPES[name.slice(dot).toLowerCase()] : undefined;
  return { type: 'asset', name, contentType: contentType ?? 'application/octet-stream' };
}

/** `dist/ui/`, beside this module's `dist/control/` in the installed package. */
export function defaultUiRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'ui');
}

export interface UiStaticOptions {
  /** The built dashboard; default `dist/ui/` of this package. */
  readonly root?: string;
  /** Injected for tests; default `fs.promises.readFile`. */
  readonly readFile?: (path: string) => Promise<Buffer>;
}

/** The file a lookup reads, always inside `root` (checked again after joining, as a second fence). */
export function uiFilePath(root: string, lookup: Exclude<UiLookup, { type: 'not-found' }>): string {
  const base = resolve(root);
  const file = lookup.type === 'index' ? join(base, 'index.html') : join(base, 'assets', lookup.name);
  if (!file.startsWith(base + sep)) throw new HttpError(404, 'NOT_FOUND', 'no such dashboard file');
  return file;
}

/**
 * The `/ui` route: GET only (HEAD too, as HTTP wants), 404 as JSON for what is not a dashboard file,
 * 503 `UI_NOT_BUILT` when the page itself is missing. Shaped like a control route's handler.
 */
export function createUiStatic(options: UiStaticOptions = {}): (ctx: { readonly req: IncomingMessage; readonly res: ServerResponse; readonly url: URL }) => Promise<void> {
  const root = options.root ?? defaultUiRoot();
  const read = options.readFile ?? ((path: string) => readFile(path));
  return async ({ req, res, url }) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}`);
    const lookup = lookupUiPath(url.pathname);
    if (lookup.type === 'not-found') throw new HttpError(404, 'NOT_FOUND', `no dashboard file ${url.pathname}`);
    let body: Buffer;
    try {
      body = await read(uiFilePath(root, lookup));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (lookup.type === 'index') throw new HttpError(503, 'UI_NOT_BUILT', `the dashboard's files are missing from ${root}: run \`npm run build\``);
      throw new HttpError(404, 'NOT_FOUND', `no dashboard file ${url.pathname}`);
    }
    const contentType = lookup.type === 'index' ? 'text/html; charset=utf-8' : lookup.contentType;
    res.writeHead(200, { ...UI_HEADERS, 'content-type': contentType, 'content-length': body.length });
    res.end(method === 'HEAD' ? undefined : body);
  };
}
