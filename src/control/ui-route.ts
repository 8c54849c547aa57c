import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http.js';
import { HttpError } from './errors.js';
import type { Route } from './routes.js';

/**
 * Serves one dashboard request. `path` is what follows `/ui/` in the URL, still %-encoded
 * ('' for `/ui/` itself); the implementation must refuse any path that escapes its directory.
 */
export type UiServe = (req: IncomingMessage, res: ServerResponse, path: string) => void | Promise<void>;

/**
 * Headers on every `/ui/` answer: log lines and payloads shown by the page are untrusted text, so
 * only our own script and styles run, and no other site may frame the page's buttons
 * (`default-src` does not cover `frame-ancestors`, `base-uri` or `form-action`).
 */
export const UI_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** Until the dashboard's files are served, `/ui/` says so instead of pretending. */
export const uiNotBuilt: UiServe = (_req, res) => sendError(res, new HttpError(503, 'UI_NOT_BUILT', 'the dashboard files are not built (dist/ui/); run "npm run build"'));

/**
 * The dashboard's route, added to the control server by the composition root only with `--ui`
 * (without it `/ui/…` is 404 and nothing of the dashboard is read). Public: static files hold no
 * data, every API call the page makes carries the token. The Host/Origin checks still apply.
 */
export function uiRoute(serve: UiServe = uiNotBuilt): Route {
  return {
    method: 'GET',
    path: /^\/ui(?:\/(.*))?$/,
    public: true,
    handle: ({ req, res, params }) => {
      for (const [name, value] of Object.entries(UI_HEADERS)) res.setHeader(name, value);
      return serve(req, res, params[0] ?? '');
    },
  };
}
