export { runProbe } from './run-probe.js';
export { execProbe } from './exec-probe.js';
export { httpProbe } from './http-probe.js';
export { tcpProbe } from './tcp-probe.js';
export { Prober, type ProberOptions, type ProberState, type ProbeTransition } from './prober.js';
export { LogMatcher } from './log-matcher.js';
export type { Check, ProbeResult, ProbeRunOptions } from './types.js';
