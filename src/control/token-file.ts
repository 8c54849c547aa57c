import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isLoopback, type TcpAddress } from './address.js';
import { ControlClientError } from './errors.js';

/**
 * The TCP API's generated token, for the CLI on the same machine: `{"host","port","token"}` in a
 * file created 0600 next to the control socket, so only our user can read it. The address is kept
 * so a client never sends the token to a port some other process listens on.
 */
export interface TokenFileContent extends TcpAddress {
  readonly token: string;
}

/** Replaces whatever is at `path` (a leftover of a crashed run) with a fresh 0600 file. */
export function writeTokenFile(path: string, content: TokenFileContent): void {
  rmSync(path, { force: true });
  // O_EXCL: never writes through a file or symlink someone else placed there meanwhile.
  writeFileSync(path, `${JSON.stringify({ host: content.host, port: content.port, token: content.token })}\n`, { mode: 0o600, flag: 'wx' });
}

/** Removes the token file if it still holds `token` (a later run may have replaced it). */
export function removeTokenFile(path: string, token: string | null): void {
  try {
    if (token === null || parseTokenFile(readFileSync(path, 'utf8'))?.token === token) rmSync(path, { force: true });
  } catch {
    // Already gone.
  }
}

export function parseTokenFile(text: string): TokenFileContent | null {
  try {
    const parsed = JSON.parse(text) as Partial<TokenFileContent>;
    if (typeof parsed.host !== 'string' || typeof parsed.port !== 'number' || typeof parsed.token !== 'string' || parsed.token === '') return null;
    return { host: parsed.host, port: parsed.port, token: parsed.token };
  } catch {
    return null;
  }
}

/**
 * The token for `address` from the token file at `path`, or null when there is no such file.
 * A file for another address, or one we may not read, is an error that says so.
 */
export function tokenFor(address: TcpAddress, path: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | null {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    const reason = code === 'EACCES' ? 'permission denied (it belongs to another user)' : (error as Error).message;
    throw new ControlClientError('CONTROL_TOKEN_UNREADABLE', `cannot read the API token file ${path}: ${reason}`);
  }
  const content = parseTokenFile(text);
  if (content === null) throw new ControlClientError('CONTROL_TOKEN_UNREADABLE', `${path} is not an API token file; remove it, or set ORCHESTRATOR_TOKEN`);
  if (!sameAddress(content, address)) {
    throw new ControlClientError('CONTROL_TOKEN_MISMATCH', `${path} holds the token of ${formatHostPort(content)}, not of ${formatHostPort(address)}; use --api ${formatHostPort(content)}, or set ORCHESTRATOR_TOKEN`);
  }
  return content.token;
}

function sameAddress(a: TcpAddress, b: TcpAddress): boolean {
  if (a.port !== b.port) return false;
  return a.host === b.host || (a.host === 'localhost' && isLoopback(b.host)) || (b.host === 'localhost' && isLoopback(a.host));
}

/** `127.0.0.1:7070`, `[::1]:7070`. */
export function formatHostPort(address: TcpAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
