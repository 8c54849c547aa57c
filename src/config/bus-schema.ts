import * as z from 'zod';
import { BUS_DEFAULTS, BUS_NAME_PATTERN } from './bus-defaults.js';
import { duration, expected, integerAtLeast, integerBetween, oneOf, stringRule } from './rules.js';

/**
 * The `[bus]` table of tasks.toml: where the message bus lives when it is not in this process.
 * Absent (or without `url`) the bus is in-process. Secrets are never read from the file: the
 * keys a user would reach for are declared here only to say which environment variable to use.
 */

export { BUS_DEFAULTS, BUS_NAME_PATTERN } from './bus-defaults.js';

/** Keys that would hold a secret, and the environment variable that holds it instead. */
export const BUS_SECRET_KEYS: Readonly<Record<string, string>> = {
  token: 'NATS_TOKEN',
  user: 'NATS_USER',
  username: 'NATS_USER',
  password: 'NATS_PASSWORD',
  pass: 'NATS_PASSWORD',
  nkey: 'NATS_CREDS',
  jwt: 'NATS_CREDS',
};

const urlRule = expected('a server URL such as "nats://127.0.0.1:4222" or an array of them');
const serverUrl = z
  .string(urlRule)
  .regex(/^(?:nats|tls):\/\/[^\s/]+\/?$/, { error: (issue) => `expected a nats:// or tls:// URL such as "nats://127.0.0.1:4222", got ${JSON.stringify(redactInline(String(issue.input)))}` });

/** Userinfo never reaches an error message, even for a malformed URL. */
function redactInline(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@');
}

const nameRule = (what: string) =>
  z
    .string(stringRule)
    .regex(BUS_NAME_PATTERN, { error: (issue) => `expected ${what} made of letters, digits and "-", starting with a letter or digit (no "_" or "."), got ${JSON.stringify(issue.input)}` });

const pathString = (description: string) => z.string(stringRule).min(1, expected('a non-empty file path')).meta({ description });

export const BUS_TLS_SHAPE = {
  ca: pathString('CA certificate (PEM) that signed the server certificate, relative to tasks.toml.').optional(),
  cert: pathString('Client certificate (PEM) for mutual TLS, relative to tasks.toml; needs key.').optional(),
  key: pathString('Private key (PEM) of the client certificate, relative to tasks.toml; needs cert.').optional(),
};

const secretKeys = Object.fromEntries(
  Object.entries(BUS_SECRET_KEYS).map(([key, variable]) => [
    key,
    z
      .never({ error: `secrets are never read from tasks.toml: remove "${key}" and set ${variable} in the orchestrator's environment` })
      .meta({ description: `Not allowed: set ${variable} in the environment instead.` })
      .optional(),
  ]),
);

export const BUS_SHAPE = {
  url: z
    .union([serverUrl, z.array(serverUrl, urlRule).min(1, expected('at least one server URL'))], { error: urlRule.error })
    .meta({ description: 'NATS server URL (nats:// or tls://), or an array of URLs of one cluster. Absent: the bus is in-process. Userinfo is allowed but redacted in all output; prefer NATS_USER/NATS_PASSWORD.' })
    .optional(),
  project: nameRule('a project name').meta({ description: 'Required with url: isolates this stack from others on the same server (part of every subject and stream name).' }).optional(),
  instance: nameRule('an instance name').meta({ description: 'This orchestrator among the project\'s instances. Default: the host name, with every other character turned into "-".' }).optional(),
  lease: duration('How long a message held by this instance\'s pods stays theirs without news: renewed while the pod lives; after a crash of the whole instance the message goes to another instance within this time.', BUS_DEFAULTS.lease).optional(),
  storage: oneOf(['file', 'memory'], 'Where the server keeps queued messages: file survives a server restart; memory is faster.', BUS_DEFAULTS.storage).optional(),
  replicas: integerBetween(1, 5, 'Copies of each stream on a cluster (3 survives one node).', BUS_DEFAULTS.replicas).optional(),
  publish_window: integerAtLeast(1, 'Publishes this instance has in flight to the server at once; 1 keeps strict per-publisher order at a lower rate.', BUS_DEFAULTS.publish_window).optional(),
  instance_ttl: duration('A broadcast subscription of an instance that is gone is removed after this long (its undelivered messages with it).', BUS_DEFAULTS.instance_ttl).optional(),
  connect_timeout: duration('How long the first connection may take before the run exits 2.', BUS_DEFAULTS.connect_timeout).optional(),
  tls: z.strictObject(BUS_TLS_SHAPE, expected('a table such as { ca = "ca.pem", cert = "client.pem", key = "client-key.pem" }')).meta({ description: 'TLS files; any of them turns TLS on (as does a tls:// URL).' }).optional(),
  creds: pathString('A NATS .creds file (JWT and NKey seed), relative to tasks.toml. Default: the file named by NATS_CREDS.').optional(),
  ...secretKeys,
};

export const BusSchema = z
  .strictObject(BUS_SHAPE, expected('a table such as { url = "nats://127.0.0.1:4222", project = "shop" }'))
  .meta({ description: 'Share the message bus with other orchestrator instances through a NATS JetStream server (see docs/nats.md). Absent: the bus is in-process.' });

export type RawBus = z.output<typeof BusSchema>;

/** Keys a user may write, for "unknown key" suggestions (the secret keys have their own message). */
export const BUS_KEYS: readonly string[] = Object.keys(BUS_SHAPE).filter((key) => !(key in BUS_SECRET_KEYS));
export const BUS_TLS_KEYS: readonly string[] = Object.keys(BUS_TLS_SHAPE);
