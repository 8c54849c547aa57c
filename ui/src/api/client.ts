/**
 * The dashboard's only door to the orchestrator: same-origin fetch with the bearer token on every
 * call. Errors keep the API's `code` so views branch on it (401 → login view), never on text.
 */
import { ndjsonSplitter } from '../logic/ndjson.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** Reads an NDJSON answer until it ends (resolves) or `signal` aborts (rejects with AbortError). */
  stream(path: string, onValue: (value: unknown) => void, signal: AbortSignal): Promise<void>;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

async function failure(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

export function createApi(token: string, fetchImpl: Fetch = (input, init) => fetch(input, init)): Api {
  const headers = (json: boolean): Record<string, string> => ({ authorization: `Bearer ${token}`, ...(json ? { 'content-type': 'application/json' } : {}) });
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetchImpl(path, { method, headers: headers(body !== undefined), body: body === undefined ? null : JSON.stringify(body), cache: 'no-store' });
    if (!res.ok) throw await failure(res);
    const text = await res.text();
    // POST /v1/stop answers NDJSON; its first line is the acceptance.
    const first = text.split('\n').find((line) => line.trim() !== '') ?? '{}';
    return JSON.parse(first) as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    del: (path) => call('DELETE', path),
    async stream(path, onValue, signal) {
      const res = await fetchImpl(path, { method: 'GET', headers: headers(false), signal, cache: 'no-store' });
      if (!res.ok) throw await failure(res);
      if (res.body === null) return;
      const split = ndjsonSplitter(onValue);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        split.push(value);
      }
      split.end();
    },
  };
}
