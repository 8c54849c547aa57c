import type { IncomingMessage, ServerResponse } from 'node:http';
import { OrchestratorError } from '../util/errors.js';
import { isApiError, STATUS_BY_CODE } from './api-errors.js';
import { HttpError } from './errors.js';

/** Largest request body accepted (publish data included). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How much of a refused request's body is still read (and discarded) before the answer: closing
 * a socket with unread data resets the connection, and a client still writing its body then gets
 * EPIPE and may lose our answer. Small enough that a refused client costs little: a body announced
 * or found to be larger is answered at once and cut off. Unauthenticated clients get less.
 */
export const LINGER_BYTES = { tooLarge: 4 * MAX_BODY_BYTES, unauthorized: 64 * 1024 } as const;

/**
 * Reads and parses a JSON object body; an empty body is `{}`. Throws HttpError 400 / 413.
 * A body announced or found to be over MAX_BODY_BYTES is not kept: the 413 answer closes the
 * connection after at most LINGER_BYTES.tooLarge more (see `discardBody`), so a client cannot make
 * us swallow an endless body.
 */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge(`${declared} bytes`);
  const chunks = await readAtMost(req, MAX_BODY_BYTES);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'BAD_REQUEST', 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * Reads and discards the rest of `req`'s body, at most `limit` more bytes. Resolves true once the
 * body has ended, false when it is announced or found to be longer, or the request is cut off
 * (the request timeout still applies). Never throws.
 */
export function discardBody(req: IncomingMessage, limit: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ended: boolean): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > limit) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onClose = (): void => finish(req.complete);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.resume();
  });
}

function tooLarge(size: string): HttpError {
  return new HttpError(413, 'BODY_TOO_LARGE', `request body of ${size} exceeds the limit of ${MAX_BODY_BYTES} bytes`);
}

/** The body's chunks; past `limit` bytes it stops reading (the stream stays paused) and throws 413. */
function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      req.pause();
      reject(tooLarge(`more than ${limit} bytes`));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `{"error":{"code","message"}}` with the status for the error's code (500 for the unexpected). */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A client refused for its token or its body size is not served further: the connection is
  // closed once this answer is written (the server read at most LINGER_BYTES of the body first).
  if (error instanceof HttpError && (error.status === 401 || error.status === 413)) res.setHeader('connection', 'close');
  if (error instanceof HttpError) return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
  if (isApiError(error)) return sendJson(res, STATUS_BY_CODE[error.code], { error: { code: error.code, message: error.message } });
  // Any other deliberate error is still the request's fault: 400 with its own code.
  if (error instanceof OrchestratorError) return sendJson(res, 400, { error: { code: error.code, message: error.message } });
  sendJson(res, 500, { error: { code: 'INTERNAL', message: (error as Error).message ?? String(error) } });
}

/**
 * Starts a newline-delimited JSON stream. A consumer that stops reading is cut off once
 * `MAX_BUFFERED` bytes are waiting, so a stuck `subscribe` can never grow our memory.
 */
export function openStream(res: ServerResponse): { write(value: unknown): void; end(): void } {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  res.flushHeaders();
  return {
    write: (value) => {
      if (res.destroyed || res.writableEnded) return;
      if (res.writableLength > MAX_BUFFERED) {
        res.destroy();
        return;
      }
      res.write(`${JSON.stringify(value)}\n`);
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
  };
}

const MAX_BUFFERED = 8 * 1024 * 1024;

/** Query parameter helpers: every bad value is a 400 naming the parameter. */
export function intParam(url: URL, name: string, min: number): number | null {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new HttpError(400, 'BAD_PARAMETER', `${name}: expected an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

export function boolParam(url: URL, name: string): boolean {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new HttpError(400, 'BAD_PARAMETER', `${name}: expected true or false, got ${JSON.stringify(raw)}`);
}

export function boolField(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = body[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new HttpError(400, 'BAD_PARAMETER', `${name}: expected true or false`);
  return value;
}
