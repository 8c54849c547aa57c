import * as path from 'node:path';
import { loadConfig } from './index.js';

/** The directory the in-memory tasks.toml lives in. */
export const dir = process.cwd();

/** The absolute path a test file name resolves to beside ./tasks.toml. */
export const at = (file: string): string => path.join(dir, file);

/** Loads `text` as ./tasks.toml with an in-memory file system; `files` are other files beside it. */
export function load(text: string, files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const contents = new Map(Object.entries({ 'tasks.toml': text, ...files }).map(([name, body]) => [at(name), body]));
  const readFile = (file: string): string => {
    const body = contents.get(file);
    if (body === undefined) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return body;
  };
  return loadConfig('tasks.toml', { env, readFile });
}
