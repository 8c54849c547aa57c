import { timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/logger.js';
import type { TcpAddress } from './address.js';
import { HttpError } from './errors.js';
import { sendError } from './http.js';
import { listenUnix, removeSocket } from './listen.js';
import { findRoute } from './routes.js';
import type { ControlTarget } from './target.js';

/** How long close() lets answers in progress finish before cutting connections. */
const CLOSE_GRACE_MS = 1000;

export interface ControlServerOptions {
  readonly target: ControlTarget;
  readonly socketPath: string;
  /** Optional TCP listener; every request on it needs `Authorization: Bearer <token>`. */
  readonly tcp?: TcpAddress & { readonly token: string };
  readonly logger: Logger;
}

/**
 * The control API: HTTP + JSON on a Unix socket (file permissions are the access control) and,
 * optionally, on TCP with a bearer token. A thin shell: routing, bodies and errors; every
 * decision is the ControlTarget's. A bad request never reaches the target.
 */
export class ControlServer {
  private readonly unix: Server;
  private tcp: Server | null = null;
  private inode: number | null = null;
  /** Responses under way, so close() can end the endless ones (subscribe, -f) cleanly. */
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly options: ControlServerOptions) {
    this.unix = createServer((req, res) => void this.handle(req, res, false));
  }

  async start(): Promise<void> {
    await listenUnix(this.unix, this.options.socketPath);
    this.inode = lstatSync(this.options.socketPath).ino;
    const tcp = this.options.tcp;
    if (tcp === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res, true));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(tcp.port, tcp.host, () => resolve());
    });
    this.tcp = server;
  }

  /** The bound TCP address (the real port when 0 was asked for). */
  get tcpAddress(): TcpAddress | null {
    const address = this.tcp?.address() as AddressInfo | null | undefined;
    return address === null || address === undefined ? null : { host: address.address, port: address.port };
  }

  /** Stops listening, ends open streams (subscribe, logs -f, events -f) and removes the socket file. */
  async close(): Promise<void> {
    // Handlers woken by the same event that ends the run (e.g. the stop route) write their last words first.
    await new Promise((resolve) => setImmediate(resolve));
    const servers = [this.unix, this.tcp].filter((s): s is Server => s !== null);
    const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    for (const res of this.open) if (res.headersSent && !res.writableEnded) res.end();
    for (const s of servers) s.closeIdleConnections();
    const force = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(force);
    removeSocket(this.options.socketPath, this.inode);
  }

  private async handle(req: IncomingMessage, res: ServerResponse, overTcp: boolean): Promise<void> {
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    try {
      if (overTcp) this.authorize(req);
      const url = new URL(req.url ?? '/', 'http://orchestrator');
      const { route, params } = findRoute(req.method ?? 'GET', url.pathname);
      await route.handle({ req, res, url, params, target: this.options.target });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) this.options.logger.debug({ err: error, url: req.url }, 'control request failed');
      sendError(res, error);
    }
  }

  private authorize(req: IncomingMessage): void {
    const token = this.options.tcp?.token ?? '';
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token (Authorization: Bearer <token>)');
  }
}
