import { resolve } from 'node:path';
import { UsageError } from '../usage-error.js';

/** tasks.toml from `-f`, the one positional argument, or ./tasks.toml. */
export function configPathFrom(flag: string | undefined, positionals: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`expected one tasks.toml, got ${positionals.length}: ${positionals.join(' ')}`);
  if (flag !== undefined && positionals.length === 1) throw new UsageError('give the config file either with -f or as an argument, not both');
  return resolve(flag ?? positionals[0] ?? 'tasks.toml');
}
