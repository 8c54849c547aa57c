import { timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/logger.js';
import type { TcpAddress } from './address.js';
import { HttpError } from './errors.js';
import { discardBody, LINGER_BYTES, sendError } from './http.js';
import { LazyHttpListener } from './lazy-http.js';
import { reportDrops, TCP_LIMITS, UNIX_LIMITS, type ConnectionLimits } from './limits.js';
import { listenUnix, removeSocket } from './listen.js';
import { checkBrowserSafety } from './auth.js';
import { findRoute, routes, type Route } from './routes.js';
import type { ControlTarget } from './target.js';
import { removeTokenFile, writeTokenFile } from './token-file.js';

/** How long close() lets answers in progress finish before cutting connections. */
const CLOSE_GRACE_MS = 1000;

export interface ControlServerOptions {
  readonly target: ControlTarget;
  readonly socketPath: string;
  /**
   * Optional TCP listener; every request on it needs `Authorization: Bearer <token>`. With
   * `tokenFile`, the bound address and token are written there (0600) for the CLI, and removed on close.
   */
  readonly tcp?: TcpAddress & { readonly token: string; readonly tokenFile?: string; readonly allowRemote?: boolean };
  /**
   * Routes the composition root adds to the API's (the dashboard's `/ui/` files with `--ui`);
   * without them such paths are 404. Public ones need no token on TCP but pass the Host/Origin checks.
   */
  readonly extraRoutes?: readonly Route[];
  /** Where a leftover token file of an earlier run may be; removed when this run writes none. */
  readonly staleTokenFile?: string;
  readonly logger: Logger;
  /** Defaults: UNIX_LIMITS and TCP_LIMITS (tests shrink them). */
  readonly limits?: { readonly unix?: ConnectionLimits; readonly tcp?: ConnectionLimits };
}

/**
 * The control API: HTTP + JSON on a Unix socket (file permissions are the access control) and,
 * optionally, on TCP with a bearer token. A thin shell: routing, bodies and errors; every
 * decision is the ControlTarget's. A bad request never reaches the target.
 */
export class ControlServer {
  private readonly unix: LazyHttpListener;
  private tcp: LazyHttpListener | null = null;
  private inode: number | null = null;
  /** Responses under way, so close() can end the endless ones (subscribe, -f) cleanly. */
  private readonly open = new Set<ServerResponse>();
  private readonly stopReporting: Array<() => void> = [];

  private readonly routes: readonly Route[];

  constructor(private readonly options: ControlServerOptions) {
    this.routes = [...routes, ...(options.extraRoutes ?? [])];
    this.unix = this.createServer('control socket', options.limits?.unix ?? UNIX_LIMITS, false);
  }

  async start(): Promise<void> {
    await listenUnix(this.unix.server, this.options.socketPath);
    this.inode = lstatSync(this.options.socketPath).ino;
    const tcp = this.options.tcp;
    // We own the socket now, so a token file beside it is a crashed run's: it must not outlive it.
    if (this.options.staleTokenFile !== undefined) removeTokenFile(this.options.staleTokenFile, null);
    if (tcp === undefined) return;
    const listener = this.createServer('control API (TCP)', this.options.limits?.tcp ?? TCP_LIMITS, true);
    await new Promise<void>((resolve, reject) => {
      listener.server.once('error', reject);
      listener.server.listen(tcp.port, tcp.host, () => resolve());
    });
    this.tcp = listener;
    const bound = this.tcpAddress;
    if (tcp.tokenFile !== undefined && bound !== null) writeTokenFile(tcp.tokenFile, { ...bound, token: tcp.token });
  }

  private createServer(what: string, limits: ConnectionLimits, overTcp: boolean): LazyHttpListener {
    const listener = new LazyHttpListener(limits, (req, res) => void this.handle(req, res, overTcp));
    this.stopReporting.push(reportDrops(listener.server, what, limits.maxConnections, (message) => this.options.logger.warn(message)));
    return listener;
  }

  /** The bound TCP address (the real port when 0 was asked for). */
  get tcpAddress(): TcpAddress | null {
    const address = this.tcp?.server.address() as AddressInfo | null | undefined;
    return address === null || address === undefined ? null : { host: address.address, port: address.port };
  }

  /** Stops listening, ends open streams (subscribe, logs -f, events -f) and removes the socket file. */
  async close(): Promise<void> {
    // Handlers woken by the same event that ends the run (e.g. the stop route) write their last words first.
    await new Promise((resolve) => setImmediate(resolve));
    const servers = [this.unix, this.tcp].filter((s): s is LazyHttpListener => s !== null);
    const closed = Promise.all(servers.map((s) => s.close()));
    for (const res of this.open) if (res.headersSent && !res.writableEnded) res.end();
    for (const s of servers) s.closeIdleConnections();
    const force = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(force);
    for (const stop of this.stopReporting) stop();
    const tcp = this.options.tcp;
    if (tcp?.tokenFile !== undefined) removeTokenFile(tcp.tokenFile, tcp.token);
    removeSocket(this.options.socketPath, this.inode);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, overTcp: boolean): Promise<void> {
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    try {
      const method = req.method ?? 'GET';
      const bound = this.tcpAddress;
      // Before routing and before the token, so a foreign page learns nothing, not even 401 vs 404.
      if (overTcp && bound !== null) checkBrowserSafety(method, req.headers, { port: bound.port, bound: bound.host, allowRemote: this.options.tcp?.allowRemote === true });
      const url = new URL(req.url ?? '/', 'http://orchestrator');
      let found: ReturnType<typeof findRoute> | undefined;
      let missing: unknown;
      try {
        found = findRoute(method, url.pathname, this.routes);
      } catch (error) {
        missing = error;
      }
      // Unknown paths need the token too: a client without it cannot probe which routes exist.
      if (overTcp && found?.route.public !== true) this.authorize(req);
      if (found === undefined) throw missing;
      await found.route.handle({ req, res, url, params: found.params, target: this.options.target, viaSocket: !overTcp });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) this.options.logger.debug({ err: error, url: req.url }, 'control request failed');
      if (error instanceof HttpError && (error.status === 401 || error.status === 413)) {
        await discardBody(req, error.status === 401 ? LINGER_BYTES.unauthorized : LINGER_BYTES.tooLarge);
      }
      sendError(res, error);
    }
  }

  private authorize(req: IncomingMessage): void {
    const token = this.options.tcp?.token ?? '';
    // The scheme name is case-insensitive (RFC 7235 section 2.1); the token itself is not.
    const given = /^bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token (Authorization: Bearer <token>)');
  }
}
