import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import type { NatsBusSettings } from './options.js';
import { NatsConnectError } from './errors.js';

export type ConnectionState = 'connected' | 'disconnected' | 'reconnecting' | 'reconnected';

/** Client options from the settings: auth from the environment-only secrets, TLS from files. */
export function connectionOptions(settings: NatsBusSettings): ConnectionOptions {
  const options: ConnectionOptions = {
    servers: [...settings.servers],
    name: `orchestrator ${settings.project}/${settings.instance}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    timeout: settings.connectTimeoutMs,
    // Pending publishes are kept in the client while reconnecting; our window bounds them.
    reconnect: true,
    // An Error (with its stack) per request only to improve rejection traces: a tenth of the CPU
    // of a JetStream publish or pull.
    noAsyncTraces: true,
  };
  const auth = settings.auth;
  if (auth.kind === 'token') options.token = auth.token;
  else if (auth.kind === 'user') {
    options.user = auth.user;
    options.pass = auth.pass;
  } else if (auth.kind === 'creds') options.authenticator = credsAuthenticator(readFileSync(auth.credsFile));
  if (settings.tls !== null) options.tls = { ...settings.tls };
  else if (settings.servers.some((s) => s.startsWith('tls://'))) options.tls = {};
  return options;
}

/** Connects within `connectTimeoutMs` or rejects with NatsConnectError naming only displayServers. */
export async function openConnection(settings: NatsBusSettings): Promise<NatsConnection> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NatsConnectError(settings.displayServers, settings.connectTimeoutMs, 'timed out')), settings.connectTimeoutMs);
  });
  const attempt = connect(connectionOptions(settings));
  try {
    return await Promise.race([attempt, timeout]);
  } catch (error) {
    void attempt.then((nc) => nc.close()).catch(() => undefined);
    if (error instanceof NatsConnectError) throw error;
    throw new NatsConnectError(settings.displayServers, settings.connectTimeoutMs, redactedReason(error, settings));
  } finally {
    clearTimeout(timer);
  }
}

/** The client's error text without anything from the configured URLs or secrets. */
function redactedReason(error: unknown, settings: NatsBusSettings): string {
  let text = error instanceof Error ? (error.message || error.name) : String(error);
  for (const server of settings.servers) text = text.split(server).join('<server>');
  const auth = settings.auth;
  const secrets = auth.kind === 'token' ? [auth.token] : auth.kind === 'user' ? [auth.user, auth.pass] : [];
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***');
  return text;
}

/**
 * Follows the client's status: calls `onState` for disconnect, the first reconnect attempt after
 * it, and reconnect, naming the server by its redacted form (the status names the host:port the
 * client dialled; an attempt names none, so it names the server that was lost). The client reports
 * every attempt (one per `reconnectTimeWait` while the server is away): only the first counts.
 * Ends with the connection.
 */
export async function watchStatus(nc: NatsConnection, display: (server: string) => string, onState: (state: ConnectionState, server: string) => void): Promise<void> {
  let lost: string | null = null;
  let attempting = false;
  for await (const status of nc.status()) {
    if (status.type === 'disconnect') {
      lost = display(status.server);
      attempting = false;
      onState('disconnected', lost);
    } else if (status.type === 'reconnecting' && lost !== null && !attempting) {
      attempting = true;
      onState('reconnecting', lost);
    } else if (status.type === 'reconnect') {
      lost = null;
      onState('reconnected', display(status.server));
    }
  }
}
