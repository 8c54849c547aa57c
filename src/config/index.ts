export { loadConfig, type LoadConfigOptions } from './load.js';
export { ConfigError, type ConfigErrorCode, type ConfigProblem } from './errors.js';
export { formatSummary } from './summary.js';
export { configJsonSchema } from './json-schema.js';
export type {
  AutoscaleSpec,
  BackoffSpec,
  DeliveryMode,
  DependencyCondition,
  OrchestratorConfig,
  OverflowPolicy,
  PodTemplate,
  PodText,
  PodVariable,
  ProbeAction,
  ProbeActionSpec,
  ProbeSpec,
  ReadinessSpec,
  RestartPolicy,
  StdinFormat,
  TaskSpec,
} from './types.js';
