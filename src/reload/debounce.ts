import type { Clock, TimerHandle } from '../util/clock.js';

/** A debounced call: `call()` (re)starts the quiet period, `cancel()` drops a pending run. */
export interface Debounced {
  call(): void;
  cancel(): void;
}

/**
 * Runs `fn` once `ms` has passed on `clock` since the last `call()`, so a burst of calls runs it
 * once, after the burst. `cancel()` clears the pending timer (for close/remove); calling again
 * after a cancel starts a new quiet period.
 */
export function debounce(clock: Clock, ms: number, fn: () => void): Debounced {
  let handle: TimerHandle | null = null;
  return {
    call: () => {
      if (handle !== null) clock.clearTimeout(handle);
      handle = clock.setTimeout(() => {
        handle = null;
        fn();
      }, ms);
    },
    cancel: () => {
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    },
  };
}
