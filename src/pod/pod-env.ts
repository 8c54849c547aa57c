import type { TaskSpec } from '../config/types.js';
import { podValues, renderPodText } from './pod-template.js';

export interface PodIdentity {
  readonly task: string;
  readonly name: string;
  readonly index: number;
  readonly podId: string;
}

/**
 * The orchestrator's own secrets, not passed on to pods: a pod reaches the control API through
 * ORCHESTRATOR_SOCKET (owner-only) and the bus through its stdin and stdout, and a pod that prints
 * its environment must not print these. The NATS user goes with its password: half a credential
 * pair only misleads a pod's own client. A task that needs one sets it in its own `env`.
 */
const NOT_INHERITED: ReadonlySet<string> = new Set(['ORCHESTRATOR_TOKEN', 'NATS_TOKEN', 'NATS_USER', 'NATS_PASSWORD', 'NATS_CREDS']);

/**
 * A pod's environment: the orchestrator's own (less NOT_INHERITED), then the task's env_file and
 * env (already merged in `spec.env`, per-pod variables filled in), then the ORCHESTRATOR_*
 * variables, which a task cannot override.
 */
export function buildPodEnv(
  inherited: Readonly<Record<string, string | undefined>>,
  spec: TaskSpec,
  id: PodIdentity,
  configDir: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) if (value !== undefined && !NOT_INHERITED.has(key)) env[key] = value;
  const values = podValues(id);
  for (const [key, value] of Object.entries(spec.env)) env[key] = renderPodText(value, values);
  Object.assign(env, extra);
  env.ORCHESTRATOR_TASK = id.task;
  env.ORCHESTRATOR_POD = id.name;
  env.ORCHESTRATOR_POD_ID = id.podId;
  env.ORCHESTRATOR_REPLICA = String(id.index);
  env.ORCHESTRATOR_CONFIG_DIR = configDir;
  env.ORCHESTRATOR_STDIN = spec.stdin;
  return env;
}
