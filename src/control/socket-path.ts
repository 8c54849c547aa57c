import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** sun_path is 108 bytes on Linux and 104 on macOS, NUL included; stay well below both. */
export const MAX_SOCKET_PATH_BYTES = 100;

export interface SocketLocation {
  readonly path: string;
  /** True when `<dir>/.orchestrator/control.sock` was too long and a short path is used instead. */
  readonly fallback: boolean;
  /** Where `run --api` keeps a generated API token (0600), beside the socket. */
  readonly tokenPath: string;
}

/**
 * Where the control socket of the run whose tasks.toml is in `configDir` lives: next to the
 * config, or, when that path is too long for a Unix socket, a stable short path derived from the
 * directory under `$XDG_RUNTIME_DIR` (per user, 0700) or `/tmp/orchestrator-<uid>`. Pure: the CLI
 * computes the same path to find a running instance.
 */
export function controlSocketPath(configDir: string, env: Readonly<Record<string, string | undefined>>, uid: number): SocketLocation {
  const preferred = join(configDir, '.orchestrator', 'control.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return { path: preferred, fallback: false, tokenPath: join(configDir, '.orchestrator', 'api-token') };
  const id = createHash('sha256').update(configDir).digest('hex').slice(0, 16);
  const runtime = env.XDG_RUNTIME_DIR;
  const base = runtime !== undefined && runtime !== '' && Buffer.byteLength(runtime) < 60 ? join(runtime, 'orchestrator') : join('/tmp', `orchestrator-${uid}`);
  return { path: join(base, `${id}.sock`), fallback: true, tokenPath: join(base, `${id}.api-token`) };
}
