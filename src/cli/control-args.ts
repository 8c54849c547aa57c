import { dirname, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { parseApiAddress } from '../control/address.js';
import { ControlClient } from '../control/client.js';
import { controlSocketPath, type SocketLocation } from '../control/socket-path.js';
import { tokenFor } from '../control/token-file.js';
import { UsageError } from './usage-error.js';

/** Options every control verb takes (help text shared below). */
export const controlOptions = {
  file: { type: 'string', short: 'f' },
  socket: { type: 'string' },
  api: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const satisfies ParseArgsConfig['options'];

export const controlHelp = `Finding the instance: --socket PATH, else --api HOST:PORT (token from ORCHESTRATOR_TOKEN, else
from the .orchestrator/api-token that "run --api" wrote beside -f tasks.toml), else the socket of -f tasks.toml, else $ORCHESTRATOR_SOCKET (set inside pods), else ./tasks.toml.
  -o, --output FORMAT   table (default) | json`;

export type OutputFormat = 'table' | 'json';

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'table' || value === 'wide') return 'table';
  if (value === 'json') return 'json';
  throw new UsageError(`-o: expected "table" or "json", got "${value}"`);
}

/** The client for the instance the flags (or the environment) point at. */
export function clientFrom(values: { file?: string | undefined; socket?: string | undefined; api?: string | undefined }, env: NodeJS.ProcessEnv = process.env): ControlClient {
  if (values.socket !== undefined) return new ControlClient({ socketPath: resolve(values.socket) });
  const location = (): SocketLocation => controlSocketPath(dirname(resolve(values.file ?? 'tasks.toml')), env, process.getuid?.() ?? 0);
  if (values.api !== undefined) {
    const address = parseApiAddress(values.api, true);
    const fromEnv = env.ORCHESTRATOR_TOKEN;
    if (fromEnv !== undefined && fromEnv !== '') return new ControlClient({ ...address, token: fromEnv });
    const tokenPath = location().tokenPath;
    const token = tokenFor(address, tokenPath);
    if (token === null) throw new UsageError(`--api needs a token: set ORCHESTRATOR_TOKEN, or point -f at the tasks.toml of that run (no ${tokenPath})`);
    return new ControlClient({ ...address, token });
  }
  if (values.file === undefined && env.ORCHESTRATOR_SOCKET !== undefined && env.ORCHESTRATOR_SOCKET !== '') return new ControlClient({ socketPath: env.ORCHESTRATOR_SOCKET });
  return new ControlClient({ socketPath: location().path });
}

/** `worker=5 web=2` → { worker: 5, web: 2 }. */
export function parseScaleArgs(args: readonly string[]): Record<string, number> {
  if (args.length === 0) throw new UsageError('scale: expected TASK=REPLICAS, e.g. "orchestrator scale worker=5"');
  const out: Record<string, number> = {};
  for (const arg of args) {
    const m = /^([^=\s]+)=(\d+)$/.exec(arg);
    if (m === null) throw new UsageError(`scale: expected TASK=REPLICAS with a whole number, got "${arg}"`);
    const [, task, n] = m as unknown as [string, string, string];
    if (task in out) throw new UsageError(`scale: ${task} given twice`);
    out[task] = Number(n);
  }
  return out;
}
