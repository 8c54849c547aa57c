/** Test support (not built): a Logger that records what is warned, for every child too. */
import type { Logger } from '../util/logger.js';

export interface RecordingLogger {
  readonly logger: Logger;
  /** The first argument of every `warn` call (children included), in order. */
  readonly warnings: object[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: object[] = [];
  const noop = (): void => {};
  const logger: Logger = {
    trace: noop,
    debug: noop,
    info: noop,
    error: noop,
    fatal: noop,
    // A string-only call records the string itself, as before.
    warn: (first: object | string) => void warnings.push(first as object),
    child: () => logger,
    isLevelEnabled: (level) => level === 'warn', // what it records is what it listens to
  };
  return { logger, warnings };
}
