import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDuration } from '../util/duration.js';
import { HttpError } from './errors.js';
import { boolField, boolParam, intParam, openStream, readJson, sendJson } from './http.js';
import { METRICS_CONTENT_TYPE } from './metrics-text.js';
import type { ControlTarget } from './target.js';
import { serveWatch } from './watch.js';

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: readonly string[];
  readonly target: ControlTarget;
  /** Over the 0600 Unix socket (false: TCP, where the bearer token was checked). */
  readonly viaSocket: boolean;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: RegExp;
  /** Served without the bearer token on TCP (static dashboard files, which hold no data). */
  readonly public?: boolean;
  handle(ctx: RouteContext): Promise<void> | void;
}

function decoded(params: readonly string[], i: number): string {
  try {
    return decodeURIComponent(params[i] ?? '');
  } catch {
    throw new HttpError(400, 'BAD_PARAMETER', `malformed %-escape in ${JSON.stringify(params[i])}`);
  }
}

const MAX_REPLICAS = 1000;
const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
const MAX_REQUEST_TIMEOUT_MS = 3_600_000;

/** The API, version 1. docs/api.md documents every route. */
export const routes: readonly Route[] = [
  { method: 'GET', path: /^\/v1\/status$/, handle: ({ res, target, viaSocket }) => sendJson(res, 200, target.status(viaSocket)) },
  { method: 'GET', path: /^\/v1\/pods$/, handle: ({ res, target }) => sendJson(res, 200, { pods: target.pods(true) }) },
  {
    method: 'POST',
    path: /^\/v1\/pods\/([^/]+)\/kill$/,
    handle: async ({ req, res, params, target }) => {
      const body = await readJson(req);
      sendJson(res, 200, target.kill(decoded(params, 0), boolField(body, 'force', false)));
    },
  },
  { method: 'GET', path: /^\/v1\/topics$/, handle: ({ res, target }) => sendJson(res, 200, target.topics()) },
  { method: 'GET', path: /^\/v1\/tasks\/([^/]+)\/dead$/, handle: ({ res, params, target }) => sendJson(res, 200, target.deadLetters(decoded(params, 0))) },
  { method: 'POST', path: /^\/v1\/tasks\/([^/]+)\/dead\/retry$/, handle: ({ res, params, target }) => sendJson(res, 202, { retried: target.retryDeadLetters(decoded(params, 0), null) }) },
  { method: 'POST', path: /^\/v1\/tasks\/([^/]+)\/dead\/([^/]+)\/retry$/, handle: ({ res, params, target }) => sendJson(res, 202, { retried: target.retryDeadLetters(decoded(params, 0), decoded(params, 1)) }) },
  { method: 'DELETE', path: /^\/v1\/tasks\/([^/]+)\/dead$/, handle: ({ res, params, target }) => sendJson(res, 200, { removed: target.deleteDeadLetters(decoded(params, 0), null) }) },
  { method: 'DELETE', path: /^\/v1\/tasks\/([^/]+)\/dead\/([^/]+)$/, handle: ({ res, params, target }) => sendJson(res, 200, { removed: target.deleteDeadLetters(decoded(params, 0), decoded(params, 1)) }) },
  {
    method: 'GET',
    path: /^\/v1\/watch$/,
    handle: ({ req, res, url, target, viaSocket }) => {
      serveWatch(req, res, target, { logs: url.searchParams.getAll('logs'), events: boolParam(url, 'events'), stats: boolParam(url, 'stats'), viaSocket });
    },
  },
  {
    method: 'GET',
    path: /^\/metrics$/,
    handle: ({ res, target }) => {
      const text = target.metrics();
      res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
    },
  },
  { method: 'GET', path: /^\/v1\/tasks$/, handle: ({ res, target }) => sendJson(res, 200, { tasks: target.tasks() }) },
  {
    method: 'POST',
    path: /^\/v1\/scale$/,
    handle: async ({ req, res, target }) => {
      const body = await readJson(req);
      const replicas = body.replicas;
      if (replicas === null || typeof replicas !== 'object' || Array.isArray(replicas) || Object.keys(replicas).length === 0) {
        throw new HttpError(400, 'BAD_PARAMETER', 'replicas: expected an object of task name to replica count, e.g. {"worker": 3}');
      }
      for (const [task, n] of Object.entries(replicas)) {
        if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_REPLICAS) throw new HttpError(400, 'BAD_PARAMETER', `replicas.${task}: expected an integer from 0 to ${MAX_REPLICAS}, got ${JSON.stringify(n)}`);
      }
      const scaled = await target.scale(replicas as Record<string, number>, boolField(body, 'wait', false));
      sendJson(res, 200, { scaled });
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/publish$/,
    handle: async ({ req, res, target }) => {
      const body = await readJson(req);
      if (typeof body.topic !== 'string') throw new HttpError(400, 'BAD_PARAMETER', 'topic: expected a string');
      if (typeof body.data !== 'string') throw new HttpError(400, 'BAD_PARAMETER', 'data: expected a string');
      sendJson(res, 202, target.publish(body.topic, body.data));
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/request$/,
    handle: async ({ req, res, target }) => {
      const body = await readJson(req);
      if (typeof body.topic !== 'string') throw new HttpError(400, 'BAD_PARAMETER', 'topic: expected a string');
      if (typeof body.data !== 'string') throw new HttpError(400, 'BAD_PARAMETER', 'data: expected a string');
      const timeout = body.timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS;
      if (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > MAX_REQUEST_TIMEOUT_MS) {
        throw new HttpError(400, 'BAD_PARAMETER', `timeout_ms: expected an integer from 1 to ${MAX_REQUEST_TIMEOUT_MS}, got ${JSON.stringify(timeout)}`);
      }
      sendJson(res, 200, { reply: await target.request(body.topic, body.data, timeout as number) });
    },
  },
  {
    method: 'GET',
    path: /^\/v1\/latest$/,
    handle: async ({ res, url, target }) => {
      const topic = url.searchParams.get('topic');
      if (topic === null) throw new HttpError(400, 'BAD_PARAMETER', 'topic: give ?topic=TOPIC');
      sendJson(res, 200, { message: await target.latest(topic) });
    },
  },
  {
    method: 'GET',
    path: /^\/v1\/subscribe$/,
    handle: ({ req, res, url, target }) => {
      const patterns = url.searchParams.getAll('topic');
      if (patterns.length === 0) throw new HttpError(400, 'BAD_PARAMETER', 'topic: give at least one ?topic=PATTERN');
      const unsubscribeFirst = target.subscribe(patterns, () => {}); // validates before the stream starts
      unsubscribeFirst();
      const stream = openStream(res);
      const unsubscribe = target.subscribe(patterns, (message) => stream.write(message));
      req.once('close', unsubscribe);
    },
  },
  {
    method: 'GET',
    path: /^\/v1\/logs$/,
    handle: ({ req, res, url, target }) => {
      const since = url.searchParams.get('since');
      let sinceAt: number | null = null;
      if (since !== null && since !== '') {
        const parsed = parseDuration(since);
        if (!parsed.ok) throw new HttpError(400, 'BAD_PARAMETER', `since: expected a duration such as 5m or 30s, got ${JSON.stringify(since)}`);
        sinceAt = Date.now() - parsed.value;
      }
      const targets = url.searchParams.getAll('target');
      const lines = target.logs({ targets, tail: intParam(url, 'tail', 0), since: sinceAt, previous: boolParam(url, 'previous') });
      if (!boolParam(url, 'follow')) return sendJson(res, 200, { lines });
      const stream = openStream(res);
      for (const line of lines) stream.write(line);
      const stop = target.followLogs(targets, (line) => stream.write(line));
      req.once('close', stop);
    },
  },
  {
    method: 'GET',
    path: /^\/v1\/events$/,
    handle: ({ req, res, url, target }) => {
      const events = target.events(intParam(url, 'after', 0) ?? 0);
      if (!boolParam(url, 'follow')) return sendJson(res, 200, { events });
      const stream = openStream(res);
      for (const event of events) stream.write(event);
      const stop = target.followEvents((event) => stream.write(event));
      req.once('close', stop);
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/tasks\/([^/]+)\/restart$/,
    handle: async ({ req, res, params, target }) => {
      const body = await readJson(req);
      const result = await target.restart(decodeURIComponent(params[0] ?? ''), boolField(body, 'wait', true));
      sendJson(res, 200, result);
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/apply$/,
    handle: async ({ req, res, target }) => {
      const body = await readJson(req);
      const result = await target.apply(boolField(body, 'wait', false));
      if (result.ok) sendJson(res, 200, { summary: result.summary });
      else sendJson(res, 422, { error: { code: result.code, message: result.message, problems: result.problems } });
    },
  },
  {
    method: 'POST',
    path: /^\/v1\/stop$/,
    handle: async ({ req, res, target }) => {
      const body = await readJson(req);
      const force = boolField(body, 'force', false);
      // Headers first so the caller knows the stop was accepted, the end once every pod is gone.
      const stream = openStream(res);
      stream.write({ stopping: true, force });
      await target.stop(force);
      stream.write({ stopped: true });
      stream.end();
    },
  },
];

/**
 * Finds the route for a request among `list` (the API's routes, plus those the composition root
 * adds, such as the dashboard's): 404 for an unknown path, 405 for a known path with another method.
 */
export function findRoute(method: string, pathname: string, list: readonly Route[] = routes): { route: Route; params: string[] } {
  let pathKnown = false;
  for (const route of list) {
    const match = route.path.exec(pathname);
    if (match === null) continue;
    pathKnown = true;
    if (route.method === method) return { route, params: match.slice(1) };
  }
  if (pathKnown) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}`);
  throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${pathname}; see docs/api.md`);
}
