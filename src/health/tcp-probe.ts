import * as net from 'node:net';
import { withDeadline } from './deadline.js';
import type { ProbeResult } from './types.js';

/** Passes when a TCP connection to host:port opens; the socket is closed at once. */
export function tcpProbe(host: string, port: number, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<ProbeResult> {
  return withDeadline(options.timeoutMs, options.signal, (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const socket = net.connect({ host, port });
      const onAbort = (): void => {
        socket.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true });
      });
      socket.once('error', (error) => resolve({ ok: false, reason: error.message }));
      socket.once('close', () => signal.removeEventListener('abort', onAbort));
    }),
  );
}
