/** Time as a side effect, injected so tests can run on virtual time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = { readonly __timer: unique symbol } | NodeJS.Timeout;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Runs `fn` every `ms` on `clock` (a setTimeout re-armed before each run, so a throwing `fn` keeps
 * repeating, as setInterval does). The returned function cancels it, also from inside `fn`.
 */
export function repeatEvery(clock: Clock, ms: number, fn: () => void): () => void {
  let handle: TimerHandle | null = null;
  const tick = (): void => {
    handle = clock.setTimeout(tick, ms);
    fn();
  };
  handle = clock.setTimeout(tick, ms);
  return () => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
}
