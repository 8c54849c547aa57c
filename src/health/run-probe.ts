import type { ProbeAction } from '../config/types.js';
import { execProbe } from './exec-probe.js';
import { httpProbe } from './http-probe.js';
import { tcpProbe } from './tcp-probe.js';
import type { ProbeResult, ProbeRunOptions } from './types.js';

/** One check of a configured probe action. Never rejects: every failure is a `{ ok: false }` result. */
export function runProbe(action: ProbeAction, options: ProbeRunOptions): Promise<ProbeResult> {
  switch (action.kind) {
    case 'exec':
      return execProbe(action.command, options);
    case 'http':
      return httpProbe(action.url, options);
    case 'tcp':
      return tcpProbe(action.host, action.port, options);
  }
}
