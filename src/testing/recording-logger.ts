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
  const logger = {
    trace: noop,
    debug: noop,
    info: noop,
    error: noop,
    fatal: noop,
    warn: (obj: object) => void warnings.push(obj),
    child: () => logger,
    isLevelEnabled: () => false,
  };
  // pino's overloaded method types cannot be spelled by a plain object; the shape above is what the code calls.
  return { logger: logger as unknown as Logger, warnings };
}
