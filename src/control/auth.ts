import { isIP } from 'node:net';
import { HttpError } from './errors.js';

/** What the TCP listener accepts as its own name in `Host` (docs/api.md, Dashboard). */
export interface HostPolicy {
  /** The bound port: a Host naming another port is someone else's. */
  readonly port: number;
  /** The bound address (e.g. `127.0.0.1`, `::`, `192.168.1.5`). */
  readonly bound: string;
  /** `--api-allow-remote`: the bound address is a valid name too (any IP literal for a wildcard bind). */
  readonly allowRemote: boolean;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The checks every TCP request passes before routing, in order: its `Host` names this listener
 * (DNS rebinding: a foreign page whose name resolves to 127.0.0.1 still sends its own name), its
 * `Origin`, when sent, is `http://<Host>` (CSRF: browsers send Origin on cross-site requests), and
 * it is not a CORS preflight (we send no CORS headers, ever). Pure: throws the HttpError to answer.
 * The bearer token is checked after these. The Unix socket needs none of it (its file mode is the
 * access control and browsers cannot reach it).
 */
export function checkBrowserSafety(method: string, headers: { readonly host?: string | undefined; readonly origin?: string | undefined }, policy: HostPolicy): void {
  const host = headers.host ?? '';
  if (!hostAllowed(host, policy)) throw new HttpError(403, 'FORBIDDEN_HOST', `Host ${JSON.stringify(host)} is not this listener's address; use http://127.0.0.1:${policy.port}/ (DNS-rebinding protection)`);
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
    throw new HttpError(403, 'FORBIDDEN_ORIGIN', `requests from origin ${JSON.stringify(origin)} are refused; only pages served by this listener may call it`);
  }
  if (method === 'OPTIONS') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'OPTIONS is not allowed: this API answers no cross-origin requests');
}

/** `name:port` (`[v6]:port`) where the name is ours and the port is the listener's. */
export function hostAllowed(hostHeader: string, policy: HostPolicy): boolean {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(hostHeader);
  if (m === null) return false;
  const name = (m[1] ?? m[2] ?? '').toLowerCase();
  const port = m[3] === undefined ? 80 : Number(m[3]);
  if (port !== policy.port) return false;
  if (LOOPBACK_NAMES.has(name)) return true;
  if (!policy.allowRemote) return false;
  if (name === policy.bound.toLowerCase()) return true;
  // A wildcard bind answers on every address of the machine. An IP literal cannot be a rebinding
  // attack (that needs a DNS name the attacker controls), so any IP literal is accepted then.
  return (policy.bound === '0.0.0.0' || policy.bound === '::') && isIP(name) !== 0;
}
