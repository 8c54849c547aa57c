import type { Parsed } from '../util/duration.js';

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * `512KiB`, `1MiB`, `64KB`, `100B`, `2 MiB` (units case-insensitive; KB is 1000, KiB is 1024).
 * Cases are spelled out rather than using /i: the JSON schema carries only the pattern's source.
 * The lookahead wants a non-zero digit, so an editor's schema check rejects `0KiB` as the loader
 * does; a fraction below one byte (`0.0001KiB`) is left to parseSize.
 */
export const SIZE_PATTERN = /^\s*(?=0*\.?0*[1-9])(\d+(?:\.\d+)?)\s*([kKmMgG][iI]?[bB]|[bB])\s*$/;

/** Whole bytes; a bare number is bytes. Never returns less than 1. */
export function parseSize(input: string | number): Parsed<number> {
  if (typeof input === 'number') {
    return Number.isInteger(input) && input >= 1
      ? { ok: true, value: input }
      : { ok: false, error: `invalid size ${input}: a byte count must be an integer >= 1` };
  }
  const match = SIZE_PATTERN.exec(input);
  const factor = match?.[2] === undefined ? undefined : UNIT_BYTES[match[2].toLowerCase()];
  if (match?.[1] === undefined || factor === undefined) {
    return { ok: false, error: `invalid size ${JSON.stringify(input)}: use e.g. "512KiB", "1MiB", "64KB" or an integer number of bytes` };
  }
  const bytes = Math.floor(Number(match[1]) * factor);
  return bytes >= 1 ? { ok: true, value: bytes } : { ok: false, error: `invalid size ${JSON.stringify(input)}: must be at least 1 byte` };
}

/** 1048576 → "1MiB", 1500 → "1500B"; exact, for summaries. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
