import { withDeadline } from './deadline.js';
import type { ProbeResult } from './types.js';

/**
 * GET `url`; any 2xx or 3xx status passes (redirects are not followed, like Kubernetes counts them).
 * `agent: false` gives each check its own connection that is closed afterwards, so periodic checks
 * never accumulate keep-alive sockets. Certificates are not verified: health endpoints on
 * localhost often use self-signed ones, and a probe sends nothing secret. node:http(s) are loaded
 * at the first probe, so a run without http probes never holds them (about 1.5 MB resident).
 */
export function httpProbe(url: string, options: { readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<ProbeResult> {
  return withDeadline(options.timeoutMs, options.signal, (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const target = new URL(url);
      const { get } = target.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
      const request = get(target, { agent: false, signal, rejectUnauthorized: false, headers: { 'user-agent': 'stdio-orchestrator-probe', connection: 'close' } }, (response) => {
        const status = response.statusCode ?? 0;
        // The body is not needed; drop the connection rather than read it.
        response.destroy();
        request.destroy();
        resolve(status >= 200 && status < 400 ? { ok: true } : { ok: false, reason: `HTTP ${status}` });
      });
      request.on('error', (error) => resolve({ ok: false, reason: error.message }));
    }),
  );
}
