import type { RequestListener, Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { ConnectionLimits } from './limits.js';

/**
 * One control API listener that speaks HTTP but loads node:http (its parser, agents and server,
 * about 1 MB resident for the run's whole life) only when the first connection arrives: most
 * runs are never asked anything. The net.Server accepts, so `maxConnections` and its 'drop'
 * event work from the start; each socket stays paused (nothing is read) until it is handed to the
 * one node:http server, made on first use with the limits.
 */
export class LazyHttpListener {
  readonly server: Server;
  private http: Promise<HttpServer> | null = null;
  private made: HttpServer | null = null;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly handler: RequestListener,
  ) {
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    this.server.maxConnections = limits.maxConnections;
  }

  private accept(socket: Socket): void {
    this.http ??= import('node:http').then(({ createServer: createHttpServer }) => {
      const { checkIntervalMs, headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = this.limits;
      const http = createHttpServer({ connectionsCheckingInterval: checkIntervalMs, headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, keepAliveTimeout: keepAliveTimeoutMs }, this.handler);
      // node:http starts its connection list and its header / request deadline checks on
      // 'listening'; this server never listens itself (the net.Server does), so it is told here.
      http.emit('listening');
      this.made = http;
      return http;
    });
    void this.http.then((http) => {
      if (socket.destroyed) return;
      http.emit('connection', socket);
      socket.resume();
    });
  }

  closeIdleConnections(): void {
    this.made?.closeIdleConnections();
  }

  closeAllConnections(): void {
    this.made?.closeAllConnections();
  }

  /** Stops accepting; resolves once every connection it accepted has closed. */
  close(): Promise<void> {
    // Stops node:http's deadline timer and closes its idle keep-alive connections.
    this.made?.close(() => {});
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
