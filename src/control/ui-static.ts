import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './errors.js';
import { sendError } from './http.js';
import type { UiServe } from './ui-route.js';

/**
 * The dashboard's static files: `dist/ui/` (index.html, assets/*), built at `npm run build` and read
 * from disk per request, so the orchestrator never loads UI code and a rebuild needs no restart.
 * They hold no data, so they need no token; every `/v1` call the page makes carries one. The route
 * (ui-route.ts) adds the security headers.
 */

/** What a path under `/ui/` means. Pure: decided from the path alone, before any file is touched. */
export type UiLookup =
  | { readonly type: 'asset'; readonly name: string; readonly contentType: string }
  | { readonly type: 'index' }
  | { readonly type: 'not-found'; readonly reason: string };

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
 * Maps what follows `/ui/` in a request path (the URL parser has resolved dot segments; percent
 * escapes are kept) to a file. `assets/<name>` is that asset; anything else is the page itself, for
 * client-side routes (`t/worker`). A path that still escapes once decoded (`..%2f`), or holds a NUL
 * or a backslash, is not found.
 */
export function lookupUiPath(rest: string): UiLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { type: 'not-found', reason: 'bad percent escape' };
  }
  if (/[\0\\]/.test(decoded)) return { type: 'not-found', reason: 'NUL or backslash' };
  const segments = decoded.split('/').filter((s) => s !== '');
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

export interface UiFilesOptions {
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
 * Serves `/ui/…` for the dashboard route: 404 as JSON for what is not a dashboard file, 503
 * `UI_NOT_BUILT` when the page itself is missing (a checkout that was never built).
 */
export function uiFiles(options: UiFilesOptions = {}): UiServe {
  const root = options.root ?? defaultUiRoot();
  const read = options.readFile ?? ((path: string) => readFile(path));
  return async (_req, res, rest) => {
    try {
      const lookup = lookupUiPath(rest);
      if (lookup.type === 'not-found') throw new HttpError(404, 'NOT_FOUND', `no dashboard file /ui/${rest}`);
      let body: Buffer;
      try {
        body = await read(uiFilePath(root, lookup));
      } catch (error) {
        if (error instanceof HttpError) throw error;
        if (lookup.type === 'index') throw new HttpError(503, 'UI_NOT_BUILT', `the dashboard's files are missing from ${root}: run "npm run build"`);
        throw new HttpError(404, 'NOT_FOUND', `no dashboard file /ui/${rest}`);
      }
      const contentType = lookup.type === 'index' ? 'text/html; charset=utf-8' : lookup.contentType;
      // Read per request: a rebuilt bundle is picked up on reload.
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length, 'cache-control': 'no-cache' });
      res.end(body);
    } catch (error) {
      sendError(res, error);
    }
  };
}
