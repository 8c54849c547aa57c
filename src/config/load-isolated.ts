/**
 * `loadConfig` in a short-lived child process, for a long-running orchestrator. Validation needs zod,
 * the TOML parser and the config modules: about 10 MB of resident memory in the process that loads
 * them (module source, bytecode, schema objects, loader buffers), which a supervisor of idle pods
 * would carry for its whole life to read one file at start and on a reload. The child loads them,
 * validates, sends back the plain config and exits, so its memory goes back to the system. This
 * module itself imports nothing of them (only the error class).
 *
 * Asynchronous, unlike `loadConfig`: the child takes a Node start-up plus the load (well under a
 * second even on a loaded machine), and the event loop goes on supervising and routing meanwhile.
 */
import { spawn } from 'node:child_process';
import { deserialize, serialize } from 'node:v8';
import { ConfigError } from './errors.js';
import type { ChildReply, ChildRequest } from './load-child.js';
import type { OrchestratorConfig } from './types.js';
import { OrchestratorError } from '../util/errors.js';
import { builtFile } from '../util/built-file.js';

/** The child could not give an answer (not started, killed, crashed): nothing about the file itself. */
export class ConfigLoaderError extends OrchestratorError {
  declare readonly code: 'CONFIG_LOADER_FAILED';

  constructor(file: string, reason: string) {
    super('CONFIG_LOADER_FAILED', `could not load ${file}: the config loader process ${reason}`);
  }
}

export interface IsolatedLoadOptions {
  /** Variables for `${VAR}` expansion; defaults to process.env (read at call time). */
  readonly env?: Record<string, string | undefined>;
  /** The child's entry script (tests); defaults to load-child.js next to this module. */
  readonly childScript?: string;
}

/** Reads and validates tasks.toml into a config or rejects with ConfigError: `loadConfig` or `loadConfigIsolated`. */
export type ConfigLoader = (file: string, options?: { readonly env?: Record<string, string | undefined> }) => OrchestratorConfig | Promise<OrchestratorConfig>;

/** Same contract as `loadConfig` (same config, same ConfigError), for the default file system. */
export function loadConfigIsolated(file: string, options: IsolatedLoadOptions = {}): Promise<OrchestratorConfig> {
  // A plain copy: process.env is a host object that structured clone refuses.
  const request: ChildRequest = { file, env: { ...(options.env ?? process.env) } };
  const script = options.childScript ?? builtFile(import.meta.url, 'config/load-child.js');
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C on the terminal is the orchestrator's to handle, not a failed load.
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {}); // a child that died at once: its exit says why
    child.once('error', (error) => reject(new ConfigLoaderError(file, `did not start: ${error.message}`)));
    child.once('close', (code, signal) => {
      const reply = replyOf(Buffer.concat(stdout));
      if (reply !== null) {
        try {
          resolve(answer(reply));
        } catch (error) {
          reject(error as Error);
        }
        return;
      }
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-5).join('\n');
      reject(new ConfigLoaderError(file, `${how} without an answer${tail === '' ? '' : `: ${tail}`}`));
    });
    // The variables travel on stdin, not in argv, where other users could read them.
    child.stdin.end(serialize(request));
  });
}

/** The child's reply, or null when it wrote none (or not one of ours). */
function replyOf(bytes: Buffer): ChildReply | null {
  try {
    const reply = deserialize(bytes) as unknown;
    return typeof reply === 'object' && reply !== null && ['config', 'config-error', 'error'].includes((reply as { type?: unknown }).type as string) ? (reply as ChildReply) : null;
  } catch {
    return null;
  }
}

function answer(reply: ChildReply): OrchestratorConfig {
  if (reply.type === 'config') return reply.config;
  if (reply.type === 'config-error') throw new ConfigError(reply.code, reply.file, reply.problems);
  const error = new Error(reply.message);
  error.stack = reply.stack;
  throw error;
}
