import * as path from 'node:path';
import { parseDuration } from '../util/duration.js';
import { BUS_DEFAULTS, BusSchema } from './bus-schema.js';
import type { BusConfig } from './types.js';
import type { PathProblem } from './validate.js';

/**
 * Resolves a `[bus]` table (null when absent) into a BusConfig: defaults applied, durations in
 * milliseconds, file paths absolute against the tasks.toml directory. Keys that already failed
 * the schema are reported there; this only adds what needs more than one key.
 */
export function resolveBus(raw: unknown, dir: string, problems: PathProblem[]): BusConfig | null {
  if (raw === undefined) return null;
  const parsed = BusSchema.safeParse(raw);
  if (!parsed.success) return null;
  const bus = parsed.data;
  const urls = bus.url === undefined ? null : typeof bus.url === 'string' ? [bus.url] : bus.url;
  if (urls !== null && bus.project === undefined) {
    problems.push({ path: ['bus'], message: 'missing required key "project" (it is required with url): add project = "NAME", the same on every instance of this stack' });
  }
  const tls = bus.tls === undefined ? null : bus.tls;
  if (tls !== null && (tls.cert === undefined) !== (tls.key === undefined)) {
    problems.push({ path: ['bus', 'tls', tls.cert === undefined ? 'key' : 'cert'], message: `a client certificate needs both cert and key: add ${tls.cert === undefined ? 'cert' : 'key'}` });
  }
  const at = (key: string): ['bus', string] => ['bus', key];
  const leaseMs = ms(bus.lease ?? BUS_DEFAULTS.lease);
  if (leaseMs < 1000) problems.push({ path: at('lease'), message: `expected at least "1s" (it is renewed every lease/3), got ${JSON.stringify(bus.lease)}` });
  const connectTimeoutMs = ms(bus.connect_timeout ?? BUS_DEFAULTS.connect_timeout);
  if (connectTimeoutMs <= 0) problems.push({ path: at('connect_timeout'), message: `expected a duration above zero such as "5s", got ${JSON.stringify(bus.connect_timeout)}` });
  const file = (p: string): string => path.resolve(dir, p);
  return {
    urls,
    project: bus.project ?? null,
    instance: bus.instance ?? null,
    leaseMs,
    storage: bus.storage ?? BUS_DEFAULTS.storage,
    replicas: bus.replicas ?? BUS_DEFAULTS.replicas,
    publishWindow: bus.publish_window ?? BUS_DEFAULTS.publish_window,
    instanceTtlMs: ms(bus.instance_ttl ?? BUS_DEFAULTS.instance_ttl),
    connectTimeoutMs,
    tls:
      tls === null
        ? null
        : {
            ...(tls.ca === undefined ? {} : { caFile: file(tls.ca) }),
            ...(tls.cert === undefined ? {} : { certFile: file(tls.cert) }),
            ...(tls.key === undefined ? {} : { keyFile: file(tls.key) }),
          },
    credsFile: bus.creds === undefined ? null : file(bus.creds),
  };
}

/** The schema accepted it, so failure here is a bug. */
function ms(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unreachable: schema accepted ${text}`);
  return parsed.value;
}
