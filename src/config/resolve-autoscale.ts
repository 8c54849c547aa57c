import type * as z from 'zod';
import { parseDuration } from '../util/duration.js';
import { AUTOSCALE_DEFAULT_IDLE } from './autoscale-schema.js';
import type { KeyPath } from './path.js';
import type { TaskSchema } from './schema.js';
import type { AutoscaleSpec } from './types.js';
import type { PathProblem } from './validate.js';

type ValidTask = z.output<typeof TaskSchema>;

/**
 * The rules that tie `autoscale` to other keys. An autoscaled pool is a round_robin service whose
 * pods come and go with the queue, so `replicas` (a fixed count, when the task itself sets it),
 * `mode = "broadcast"` (every pod must get every message: there is no queue to follow) and any
 * restart policy but "always" (a pool is never "finished") contradict it. A `replicas` from
 * [defaults] does not apply to an autoscaled task.
 */
export function resolveAutoscale(
  own: ValidTask,
  task: Pick<ValidTask, 'autoscale' | 'mode' | 'restart'>,
  origin: (key: 'autoscale' | 'mode' | 'restart') => KeyPath,
  ownPath: KeyPath,
  problems: PathProblem[],
): AutoscaleSpec | null {
  const raw = task.autoscale;
  if (raw === undefined) return null;
  const at = origin('autoscale');
  const before = problems.length;
  if (own.replicas !== undefined) {
    problems.push({ path: [...ownPath, 'replicas'], message: 'replicas cannot be combined with autoscale (the pool sizes itself between autoscale.min and autoscale.max): remove one of them' });
  }
  if (task.mode !== 'round_robin') {
    const modePath = origin('mode');
    // Not written anywhere (the default broadcast): the autoscale key is what to fix.
    problems.push({ path: modePath.length === ownPath.length ? at : modePath, message: 'autoscale needs mode = "round_robin" (a broadcast task gives every pod every message, so there is no queue to scale on)' });
  }
  if (task.restart !== 'always') {
    problems.push({ path: origin('restart'), message: `autoscale needs restart = "always" (pods of a pool are services: they are replaced while there is work), got ${JSON.stringify(task.restart)}` });
  }
  const min = raw.min ?? 0;
  if (min > raw.max) problems.push({ path: [...at, 'min'], message: `must be <= autoscale.max (${raw.max}), got ${min}` });
  if (problems.length > before) return null;
  const idle = parseDuration(raw.idle ?? AUTOSCALE_DEFAULT_IDLE);
  if (!idle.ok) throw new Error(`unreachable: schema accepted ${raw.idle}`);
  return { min, max: raw.max, idleMs: idle.value };
}
