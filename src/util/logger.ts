import type { Logger as PinoLogger } from 'pino';
import pino from 'pino';

/** The narrow logger surface the domain uses; pino satisfies it, tests can pass `silentLogger`. */
export type Logger = Pick<PinoLogger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child' | 'isLevelEnabled'>;

export const silentLogger: Logger = pino({ level: 'silent' });
