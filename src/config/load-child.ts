/**
 * The config loader process (see load-isolated.ts): reads one v8-serialized ChildRequest on stdin,
 * runs `loadConfig` and writes one v8-serialized ChildReply on stdout. Structured clone keeps what
 * JSON would lose (the RegExp of `ready = { log = … }`).
 */
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { ConfigError, type ConfigErrorCode, type ConfigProblem } from './errors.js';
import { loadConfig } from './load.js';
import type { OrchestratorConfig } from './types.js';

export interface ChildRequest {
  readonly file: string;
  readonly env: Record<string, string | undefined>;
}

export type ChildReply =
  | { readonly type: 'config'; readonly config: OrchestratorConfig }
  | { readonly type: 'config-error'; readonly code: ConfigErrorCode; readonly file: string; readonly problems: readonly ConfigProblem[] }
  | { readonly type: 'error'; readonly message: string; readonly stack: string | undefined };

function answer(request: ChildRequest): ChildReply {
  try {
    return { type: 'config', config: loadConfig(request.file, { env: request.env }) };
  } catch (error) {
    if (error instanceof ConfigError) return { type: 'config-error', code: error.code, file: error.file, problems: error.problems };
    return { type: 'error', message: (error as Error).message, stack: (error as Error).stack };
  }
}

// An entry script only: load-isolated.ts takes just its types. The write is flushed before exit.
process.stdout.write(serialize(answer(deserialize(readFileSync(0)) as ChildRequest)));
