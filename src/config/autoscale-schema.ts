import * as z from 'zod';
import { duration, expected, integerAtLeast } from './rules.js';

/** The built-in idle time of an autoscaled pool's pods (`autoscale.idle`). */
export const AUTOSCALE_DEFAULT_IDLE = '30s';

export const AUTOSCALE_SHAPE = {
  min: integerAtLeast(0, 'Pods kept even with nothing to do; 0 lets the pool cost nothing until its first message.', 0).optional(),
  max: integerAtLeast(1, 'Most pods the pool grows to while messages wait. Required; must be >= min.'),
  idle: duration('A pod with nothing in flight for this long is drained and stopped (down to min).', AUTOSCALE_DEFAULT_IDLE).optional(),
};

export const AUTOSCALE_KEYS: readonly string[] = Object.keys(AUTOSCALE_SHAPE);

/**
 * `autoscale = { min, max, idle }`: a round_robin task whose pod count follows its queue, instead of
 * a fixed `replicas`. The cross-key rules (not with replicas, not with broadcast, min <= max,
 * restart = "always") are checked in resolve-autoscale.ts, where every key's origin is known.
 */
export const autoscaleSchema = z
  .strictObject(AUTOSCALE_SHAPE, expected('a table such as { min = 0, max = 8, idle = "30s" }'))
  .meta({ description: 'round_robin only, instead of replicas: start pods while messages wait and no pod is idle (up to max), stop pods idle for `idle` (down to min).' });
