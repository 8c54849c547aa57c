import { describe, expect, test } from 'vitest';
import { ConfigError } from './errors.js';
import { load } from './load-from-memory.case.js';

function problems(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.lines();
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const pool = (extra: string): string => `[tasks.thumb]\ncommand = "true"\nsubscribe = ["images"]\n${extra}`;

describe('autoscale', () => {
  test('resolves to bounds and an idle time; replicas starts at min', () => {
    const [spec] = load(pool('mode = "round_robin"\nautoscale = { min = 1, max = 8, idle = "2s" }\n')).tasks;
    expect(spec?.autoscale).toEqual({ min: 1, max: 8, idleMs: 2000 });
    expect(spec?.replicas).toBe(1);
    const [defaults] = load(pool('mode = "round_robin"\nautoscale = { max = 3 }\n')).tasks;
    expect(defaults?.autoscale).toEqual({ min: 0, max: 3, idleMs: 30_000 });
    expect(defaults?.replicas).toBe(0);
  });

  test('a replicas from [defaults] does not apply to an autoscaled task', () => {
    const [spec] = load(`[defaults]\nreplicas = 4\n${pool('mode = "round_robin"\nautoscale = { max = 2 }\n')}`).tasks;
    expect(spec?.replicas).toBe(0);
  });

  test('with replicas, with broadcast, with min > max, with restart other than always: key path and line', () => {
    expect(problems(pool('mode = "round_robin"\nreplicas = 2\nautoscale = { max = 2 }\n'))).toEqual([
      'tasks.toml:5:1 tasks.thumb.replicas: replicas cannot be combined with autoscale (the pool sizes itself between autoscale.min and autoscale.max): remove one of them',
    ]);
    expect(problems(pool('autoscale = { max = 2 }\n'))).toEqual([
      'tasks.toml:4:1 tasks.thumb.autoscale: autoscale needs mode = "round_robin" (a broadcast task gives every pod every message, so there is no queue to scale on)',
    ]);
    expect(problems(pool('mode = "broadcast"\nautoscale = { max = 2 }\n'))[0]).toMatch(/^tasks\.toml:4:1 tasks\.thumb\.mode: autoscale needs mode = "round_robin"/);
    expect(problems(pool('mode = "round_robin"\nautoscale = { min = 3, max = 2 }\n'))).toEqual(['tasks.toml:5:15 tasks.thumb.autoscale.min: must be <= autoscale.max (2), got 3']);
    expect(problems(pool('mode = "round_robin"\nrestart = "on-failure"\nautoscale = { max = 2 }\n'))[0]).toMatch(/^tasks\.toml:5:1 tasks\.thumb\.restart: autoscale needs restart = "always"/);
  });

  test('shape problems: max missing, unknown key with a suggestion', () => {
    expect(problems(pool('mode = "round_robin"\nautoscale = { min = 0 }\n'))).toEqual(['tasks.toml:5:1 tasks.thumb.autoscale.max: expected an integer >= 1, got nothing']);
    expect(problems(pool('mode = "round_robin"\nautoscale = { max = 2, idel = "1s" }\n'))).toEqual(['tasks.toml:5:24 tasks.thumb.autoscale.idel: unknown key, did you mean "idle"?']);
  });
});
