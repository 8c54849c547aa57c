import type { IncomingMessage, ServerResponse } from 'node:http';
import { OrchestratorError } from '../util/errors.js';
import { HttpError } from './errors.js';

/** Largest request body accepted (publish data included). */
export const MAX_BODY_BYTES = 1024 * 1024;

const DISCARD_LIMIT_BYTES = 64 * MAX_BODY_BYTES;

/** Reads and parses a JSON object body; an empty body is `{}`. Throws HttpError 400 / 413 / 415. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  // Absurd announced sizes are refused unread (the connection is closed); anything else is read and dropped.
  if (declared > DISCARD_LIMIT_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped (not left unread), so the client gets the 413 answer.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE', `request body of ${size} bytes exceeds the limit of ${MAX_BODY_BYTES} bytes`);
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  TASK_NOT_FOUND: 404,
  TARGET_NOT_FOUND: 404,
  INVALID_TOPIC: 400,
  INVALID_TOPIC_PATTERN: 400,
  STOPPING: 409,
};

/** `{"error":{"code","message"}}` with the status for the error's code (500 for the unexpected). */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError && error.status === 413) res.setHeader('connection', 'close');
  if (error instanceof HttpError) return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
  if (error instanceof OrchestratorError) return sendJson(res, STATUS_BY_CODE[error.code] ?? 400, { error: { code: error.code, message: error.message } });
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
