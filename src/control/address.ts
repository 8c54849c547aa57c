import { isIP } from 'node:net';
import { ControlAddressError } from './errors.js';

export interface TcpAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `--api HOST:PORT` (`[::1]:PORT` for IPv6; port 0 = any free port). A non-loopback host
 * exposes pod control to the network, so it needs `allowRemote` (`--api-allow-remote`).
 */
export function parseApiAddress(text: string, allowRemote: boolean): TcpAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (m === null) throw new ControlAddressError(`--api: expected HOST:PORT such as 127.0.0.1:7070, got ${JSON.stringify(text)}`);
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) throw new ControlAddressError(`--api: port ${port} is out of range`);
  if (host !== 'localhost' && isIP(host) === 0) throw new ControlAddressError(`--api: ${JSON.stringify(host)} is not an IP address`);
  if (!isLoopback(host) && !allowRemote) {
    throw new ControlAddressError(`--api: ${host} is not a loopback address; anyone who can reach it with the token controls your pods. Add --api-allow-remote to bind it anyway`);
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
