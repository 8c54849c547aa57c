import { request as httpRequest, type IncomingMessage } from 'node:http';
import { ControlClientError } from './errors.js';

/** Where a running instance listens: its Unix socket, or a TCP address with a token. */
export type ControlEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number; readonly token: string };

interface Sent {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** A small client of the control API (docs/api.md) for the CLI and scripts. */
export class ControlClient {
  constructor(private readonly endpoint: ControlEndpoint) {}

  /** One request, one JSON answer. Non-2xx answers throw ControlClientError with the API's code. */
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.send({ method, path, body });
    const text = await readAll(res);
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new ControlClientError('CONTROL_BAD_RESPONSE', `unexpected answer from ${this.describe()}: ${text.slice(0, 200)}`);
    }
    if ((res.statusCode ?? 500) >= 400) throw apiError(parsed, res.statusCode ?? 500);
    return parsed as T;
  }

  /** A newline-delimited JSON stream: `onItem` per line until the server ends it or `signal` aborts. */
  async stream(method: 'GET' | 'POST', path: string, onItem: (item: unknown) => void, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<void> {
    const res = await this.send({ method, path, body: options.body, ...(options.signal === undefined ? {} : { signal: options.signal }) });
    if ((res.statusCode ?? 500) >= 400) {
      const text = await readAll(res);
      let parsed: unknown = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: reported generically below.
      }
      throw apiError(parsed, res.statusCode ?? 500);
    }
    await new Promise<void>((resolve, reject) => {
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line !== '') onItem(JSON.parse(line));
      });
      res.once('end', resolve);
      res.once('error', (error) => (options.signal?.aborted === true ? resolve() : reject(error)));
      res.once('close', resolve);
    });
  }

  /** The Unix socket this client talks to, null over TCP. */
  get socketPath(): string | null {
    return 'socketPath' in this.endpoint ? this.endpoint.socketPath : null;
  }

  describe(): string {
    return 'socketPath' in this.endpoint ? this.endpoint.socketPath : `${this.endpoint.host}:${this.endpoint.port}`;
  }

  private send(sent: Sent): Promise<IncomingMessage> {
    const payload = sent.body === undefined ? undefined : JSON.stringify(sent.body);
    const target = 'socketPath' in this.endpoint ? { socketPath: this.endpoint.socketPath } : { host: this.endpoint.host, port: this.endpoint.port };
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    if ('token' in this.endpoint) headers.authorization = `Bearer ${this.endpoint.token}`;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ ...target, method: sent.method, path: sent.path, headers, ...(sent.signal === undefined ? {} : { signal: sent.signal }) }, resolve);
      req.once('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') return reject(error);
        reject(connectError(error, this.describe(), 'socketPath' in this.endpoint));
      });
      req.end(payload);
    });
  }
}

function connectError(error: NodeJS.ErrnoException, where: string, unix: boolean): ControlClientError {
  // The socket is 0600 in a 0700 directory: another user's instance answers EACCES, not "absent".
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new ControlClientError(
      'CONTROL_PERMISSION_DENIED',
      `permission denied connecting to ${where} (${error.code}): the control ${unix ? 'socket' : 'address'} belongs to another user; run the command as that user`,
    );
  }
  if (['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')) {
    return new ControlClientError('CONTROL_UNREACHABLE', `no orchestrator is running for ${where} (${error.code}); start one with "orchestrator run" or pass -f / --socket`);
  }
  return new ControlClientError('CONTROL_UNREACHABLE', `cannot reach ${where}: ${error.message}`);
}

function apiError(parsed: unknown, status: number): ControlClientError {
  const error = (parsed as { error?: { code?: string; message?: string; problems?: unknown } }).error;
  return new ControlClientError(error?.code ?? `HTTP_${status}`, error?.message ?? `request failed with HTTP ${status}`, status, error?.problems);
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
