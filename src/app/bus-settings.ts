import type { NatsAuth, NatsBusSettings } from '../bus/create-transport.js';
import { BUS_DEFAULTS, BUS_NAME_PATTERN } from '../config/bus-defaults.js';
import { TASK_DEFAULTS } from '../config/defaults.js';
import { parseSize } from '../config/size.js';
import type { BusConfig, TaskSpec } from '../config/types.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { OrchestratorError } from '../util/errors.js';
import { redactSecrets, redactUrl } from '../util/redact.js';

/**
 * Which bus a run uses: the `[bus]` table of tasks.toml, overridden by `run --bus`,
 * `--bus-project` and `--instance`, with secrets from the environment only. Pure: the caller
 * passes the environment and the host name.
 */

/** `run` flags; undefined when not given. `bus` is a URL (or a comma-separated list) or "memory". */
export interface BusFlags {
  readonly bus?: string | undefined;
  readonly busProject?: string | undefined;
  readonly instance?: string | undefined;
}

/** A bus setting that cannot be used (code `BUS_SETTINGS_INVALID`): names the flag, key or variable. */
export class BusSettingsError extends OrchestratorError {
  declare readonly code: 'BUS_SETTINGS_INVALID';
  constructor(message: string) {
    super('BUS_SETTINGS_INVALID', message);
  }
}

/**
 * The NATS bus could not start (code `BUS_UNAVAILABLE`): unreachable within connect_timeout,
 * refused credentials, a duplicate instance, messaging keys that differ from the project's.
 * Nothing was started. The message names the servers redacted and never carries a secret.
 */
export class BusStartError extends OrchestratorError {
  declare readonly code: 'BUS_UNAVAILABLE';
  constructor(settings: NatsBusSettings, cause: unknown) {
    const reason = redactSecrets(cause instanceof Error ? cause.message : String(cause), secretsOf(settings));
    const servers = settings.displayServers.join(', ');
    super('BUS_UNAVAILABLE', reason.includes(settings.displayServers[0] ?? '\0') ? reason : `NATS bus ${servers}: ${reason}`);
  }
}

/** Every secret value the settings hold, to scrub from text a library produced. */
export function secretsOf(settings: NatsBusSettings): string[] {
  const { auth } = settings;
  return auth.kind === 'token' ? [auth.token] : auth.kind === 'user' ? [auth.pass, encodeURIComponent(auth.pass)] : [];
}

const URL_PATTERN = /^(?:nats|tls):\/\/[^\s/]+\/?$/;

/** The NATS settings of this run, or null for the in-process bus. Throws BusSettingsError. */
export function resolveBusSettings(config: BusConfig | null, flags: BusFlags, env: Readonly<Record<string, string | undefined>>, hostname: string): NatsBusSettings | null {
  if (flags.bus === 'memory') return null;
  const urls = flags.bus === undefined ? config?.urls ?? null : parseUrlFlag(flags.bus);
  if (urls === null) {
    if (flags.busProject !== undefined || flags.instance !== undefined) {
      throw new BusSettingsError(`${flags.busProject !== undefined ? '--bus-project' : '--instance'} needs a NATS bus: add --bus nats://HOST:4222 or a [bus] table with url to tasks.toml`);
    }
    return null;
  }
  const project = flags.busProject ?? config?.project ?? null;
  if (project === null) throw new BusSettingsError('a NATS bus needs a project: add --bus-project NAME or project = "NAME" to the [bus] table (the same on every instance of this stack)');
  checkName('--bus-project', project);
  const instance = flags.instance ?? config?.instance ?? hostInstance(hostname);
  if (flags.instance !== undefined) checkName('--instance', instance);
  const tls = config?.tls ?? null;
  const fromUrls = splitUserinfo(urls);
  return {
    kind: 'nats',
    servers: fromUrls.servers,
    displayServers: urls.map(redactUrl),
    project,
    instance,
    leaseMs: config?.leaseMs ?? ms(BUS_DEFAULTS.lease),
    storage: config?.storage ?? BUS_DEFAULTS.storage,
    replicas: config?.replicas ?? BUS_DEFAULTS.replicas,
    publishWindow: config?.publishWindow ?? BUS_DEFAULTS.publish_window,
    instanceTtlMs: config?.instanceTtlMs ?? ms(BUS_DEFAULTS.instance_ttl),
    connectTimeoutMs: config?.connectTimeoutMs ?? ms(BUS_DEFAULTS.connect_timeout),
    auth: authFrom(env, config?.credsFile ?? null, fromUrls.auth),
    tls: tls !== null && Object.keys(tls).length > 0 ? tls : null,
  };
}

/**
 * The NATS client takes credentials as options, not from a URL: `nats://user:pass@host` and
 * `nats://token@host` become the run's credentials (percent-decoded) and the URLs lose them.
 * Several URLs must then carry the same userinfo (or none).
 */
function splitUserinfo(urls: readonly string[]): { servers: string[]; auth: NatsAuth | null } {
  const found = new Set<string>();
  const servers = urls.map((url) => {
    const match = /^([a-z]+:\/\/)(.*)@([^@]*)$/i.exec(url);
    if (match === null) return url;
    found.add(match[2] ?? '');
    return `${match[1]}${match[3]}`;
  });
  if (found.size === 0) return { servers, auth: null };
  if (found.size > 1 || servers.length !== urls.filter((u) => u.includes('@')).length) {
    throw new BusSettingsError(`the bus URLs carry different credentials (${urls.map(redactUrl).join(', ')}): give them the same userinfo, or none and set NATS_USER/NATS_PASSWORD or NATS_TOKEN`);
  }
  const userinfo = [...found][0] ?? '';
  const colon = userinfo.indexOf(':');
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return { servers, auth: colon < 0 ? { kind: 'token', token: decode(userinfo) } : { kind: 'user', user: decode(userinfo.slice(0, colon)), pass: decode(userinfo.slice(colon + 1)) } };
}

/** `--bus nats://a:4222,nats://b:4222`. */
function parseUrlFlag(text: string): string[] {
  const urls = text.split(',').map((u) => u.trim()).filter((u) => u !== '');
  const bad = urls.find((u) => !URL_PATTERN.test(u));
  if (urls.length === 0 || bad !== undefined) {
    throw new BusSettingsError(`--bus: expected "memory" or a nats:// or tls:// URL such as nats://127.0.0.1:4222 (several separated by ","), got ${JSON.stringify(redactUrl(bad ?? text))}`);
  }
  return urls;
}

function checkName(flag: string, name: string): void {
  if (!BUS_NAME_PATTERN.test(name)) throw new BusSettingsError(`${flag}: expected letters, digits and "-", starting with a letter or digit (no "_" or "."), got ${JSON.stringify(name)}`);
}

/** `web-1.example.com` → `web-1-example-com`: every character a NATS name cannot carry becomes "-". */
export function hostInstance(hostname: string): string {
  const sanitized = hostname.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return sanitized === '' ? 'orchestrator' : sanitized;
}

/**
 * Credentials only from the environment (a creds file path may also be in [bus] creds). More
 * than one kind set is an error rather than a silent choice, so a stray NATS_TOKEN in a shell
 * never decides which identity a run uses.
 */
function authFrom(env: Readonly<Record<string, string | undefined>>, credsFile: string | null, inUrl: NatsAuth | null): NatsAuth {
  const value = (name: string): string | null => {
    const v = env[name];
    return v === undefined || v === '' ? null : v;
  };
  const token = value('NATS_TOKEN');
  const user = value('NATS_USER');
  const pass = value('NATS_PASSWORD');
  const creds = credsFile ?? value('NATS_CREDS');
  if ((user === null) !== (pass === null)) throw new BusSettingsError(`${user === null ? 'NATS_PASSWORD' : 'NATS_USER'} is set without ${user === null ? 'NATS_USER' : 'NATS_PASSWORD'}: set both, or neither`);
  const kinds = [inUrl === null ? null : 'userinfo in the URL', token === null ? null : 'NATS_TOKEN', user === null ? null : 'NATS_USER/NATS_PASSWORD', creds === null ? null : credsFile === null ? 'NATS_CREDS' : '[bus] creds'].filter((k) => k !== null);
  if (kinds.length > 1) throw new BusSettingsError(`more than one NATS credential is set (${kinds.join(', ')}): keep one`);
  if (inUrl !== null) return inUrl;
  if (token !== null) return { kind: 'token', token };
  if (user !== null && pass !== null) return { kind: 'user', user, pass };
  if (creds !== null) return { kind: 'creds', credsFile: creds };
  return { kind: 'none' };
}

function ms(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unreachable: default ${text}`);
  return parsed.value;
}

/** What `validate`, `ps` and the log say about the bus: never a secret. */
export function describeBus(settings: NatsBusSettings | null): string {
  if (settings === null) return 'bus: in-process';
  const inUrl = settings.displayServers.some((s) => s.includes('***@'));
  const auth =
    settings.auth.kind === 'none'
      ? 'no credentials'
      : inUrl
        ? 'credentials from the URL'
        : settings.auth.kind === 'token'
          ? 'token from NATS_TOKEN'
          : settings.auth.kind === 'user'
            ? 'user and password from NATS_USER/NATS_PASSWORD'
            : `creds file ${settings.auth.credsFile}`;
  const tls = settings.tls === null ? '' : ', TLS';
  return `bus: NATS ${settings.displayServers.join(', ')}, project ${settings.project}, instance ${settings.instance} (lease ${formatDuration(settings.leaseMs)}, ${settings.storage} storage, ${settings.replicas} ${settings.replicas === 1 ? 'replica' : 'replicas'}, ${auth}${tls})`;
}

const DEFAULT_MAX_MESSAGE_SIZE = (() => {
  const parsed = parseSize(TASK_DEFAULTS.max_message_size);
  if (!parsed.ok) throw new Error('unreachable: the default max_message_size parses');
  return parsed.value;
})();

/**
 * The largest max_message_size a task sets to other than the default, for the check against the
 * server's max_payload at connect; undefined when every task keeps the default. The default (1 MiB)
 * plus our envelope never fits a default server (max_payload 1 MiB), so it is not checked there:
 * the server's limit then applies, minus the envelope.
 */
export function explicitMaxMessageSize(tasks: readonly Pick<TaskSpec, 'maxMessageSize'>[]): number | undefined {
  const sizes = tasks.map((t) => t.maxMessageSize).filter((size) => size !== DEFAULT_MAX_MESSAGE_SIZE);
  return sizes.length === 0 ? undefined : Math.max(...sizes);
}

/** A reload that changes [bus] keeps the bus it has: the message to log, or null when unchanged. */
export function busChangeWarning(current: BusConfig | null, next: BusConfig | null): string | null {
  if (JSON.stringify(current) === JSON.stringify(next)) return null;
  return '[bus] changed in tasks.toml: bus settings apply only when a run starts; restart the orchestrator to use them (this run keeps its bus)';
}
