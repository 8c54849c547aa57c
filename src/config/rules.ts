import * as z from 'zod';
import { DURATION_PATTERN } from '../util/duration.js';
import { didYouMean } from './suggest.js';

/**
 * Building blocks of the tasks.toml schema. Every rule carries its own message, written as
 * "expected X, got Y" so a user sees both what they wrote and what would be accepted.
 */

/** `"two" (string)`, `5 (number)`, `an array`: what the user wrote, for "got ..." messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${String(value)} (${typeof value})`;
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return 'a table';
}

export type IssueInput = { readonly input?: unknown };

export function expected(what: string, hint?: (input: unknown) => string): { error: (issue: IssueInput) => string } {
  return { error: (issue) => `expected ${what}, got ${describeValue(issue.input)}${hint?.(issue.input) ?? ''}` };
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, description: string, fallback?: T[number]) {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  const hint = (input: unknown): string => (typeof input === 'string' ? didYouMean(input, values) : '');
  return z.enum(values, expected(`one of ${listed}`, hint)).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
}

export function integerAtLeast(min: number, description: string, fallback?: number) {
  const rule = expected(`an integer >= ${min}`);
  return z.number(rule).int(rule).min(min, rule).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
}

export function integerBetween(min: number, max: number, description: string, fallback?: number) {
  const rule = expected(`an integer from ${min} to ${max}`);
  return z.number(rule).int(rule).min(min, rule).max(max, rule).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
}

export function boolean(description: string, fallback: boolean) {
  return z.boolean(expected('true or false')).meta({ description, default: fallback });
}

const durationRule = expected('a duration such as "500ms", "10s" or "1m30s"', (input) =>
  typeof input === 'number' ? `: durations need a unit, e.g. "${input}ms" or "${input}s"` : '',
);
export function duration(description: string, fallback?: string) {
  return z.string(durationRule).regex(DURATION_PATTERN, durationRule).meta({ description, ...(fallback === undefined ? {} : { default: fallback }) });
}

export const stringRule = expected('a string');

/** zod reports a failed union as a whole, so name the offending argument here. */
export function commandError(issue: IssueInput): string {
  const input = issue.input;
  if (!Array.isArray(input)) return `expected a command string or an array of strings, got ${describeValue(input)}`;
  if (input.length === 0) return 'expected a command string or a non-empty array of strings, got an empty array';
  const index = input.findIndex((arg) => typeof arg !== 'string');
  return `expected an array of strings, got ${describeValue(input[index])} at index ${index}`;
}

/** A command string (split like a shell would) or a non-empty argv array. */
export function commandSchema(description: string) {
  return z
    .union([z.string({ error: commandError }), z.array(z.string({ error: commandError }), { error: commandError }).min(1, { error: commandError })], { error: commandError })
    .meta({ description });
}
