/**
 * The package's public surface (`stdio-orchestrator`), listed by hand: loading and validating a
 * tasks.toml, and the Node client for pod authors (also at `stdio-orchestrator/client`). Everything
 * else under src/ is internal and may change; adding a name here is a commitment, so keep it small.
 */
export { ConfigError, loadConfig } from './config/index.js';
export {
  ClientError,
  FrameDecodeError,
  InvalidTopicError,
  OrchestratorError,
  UnencodableDataError,
  createClient,
  isValidTopic,
  validateTopic,
} from './client/index.js';

export type {
  AutoscaleSpec,
  BackoffSpec,
  ConfigErrorCode,
  ConfigProblem,
  DeliveryMode,
  DependencyCondition,
  LoadConfigOptions,
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
} from './config/index.js';
export type { Client, ClientOptions, IncomingMessage } from './client/index.js';
